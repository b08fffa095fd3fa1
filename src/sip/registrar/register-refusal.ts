/**
 * A REGISTER the registrar refuses: the status, reason phrase and extra header fields of the
 * answer (e.g. 423 with Min-Expires). Thrown inside the registrar, always caught there and
 * turned into the response; it never leaves `Registrar.register`.
 */
export class RegisterRefusal extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    readonly headers: ReadonlyArray<[string, string]> = [],
  ) {
    super(`${status} ${reason}`);
  }
}
