/**
 * A refused directory change, with one line an operator can act on
 * ("extension 1001 is already used by device of Alice"). The CLI prints `error: <message>`.
 */
export type DirectoryErrorKind = 'invalid' | 'not-found' | 'conflict' | 'refused';

export class DirectoryError extends Error {
  constructor(
    readonly kind: DirectoryErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'DirectoryError';
  }
}

export function invalid(message: string): DirectoryError {
  return new DirectoryError('invalid', message);
}
