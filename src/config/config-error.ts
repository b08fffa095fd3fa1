/** A configuration problem, as one line: `config.yaml: sip.port must be an integer 1-65535, got "50x" (line 3)`. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Thrown by value parsers with the problem only ("must be ..."); the reader adds file, key
 * and line. `index` points at the offending element of a list.
 */
export class ValueError extends Error {
  constructor(
    message: string,
    readonly index?: number,
  ) {
    super(message);
  }
}
