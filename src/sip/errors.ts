/**
 * The one error the SIP message layer throws: a message (or one header of it) does not
 * follow the RFC 3261 §25 grammar. `status` is the response a UAS should answer with:
 * 400 Bad Request for malformed syntax (RFC 3261 §21.4.1), 416 Unsupported URI Scheme
 * (§21.4.14), 505 Version Not Supported (§21.5.6), 513 Message Too Large (§21.5.7).
 */
export class SipSyntaxError extends Error {
  override readonly name = 'SipSyntaxError';
  constructor(
    message: string,
    readonly status: number = 400,
  ) {
    super(message);
  }
}
