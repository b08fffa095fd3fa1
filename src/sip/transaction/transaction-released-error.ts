/**
 * Thrown when the request of a released server transaction is read: a non-INVITE transaction
 * over UDP that has sent its final response keeps only that response's bytes for the
 * retransmissions it absorbs in Completed (RFC 3261 §17.2.2), not the parsed request. The TU
 * has the request from the `request` event.
 */
export class TransactionReleasedError extends Error {
  override readonly name = 'TransactionReleasedError';
  constructor(
    readonly method: string,
    readonly state: string,
  ) {
    super(`the ${method} server transaction (${state}) has sent its final response and kept only its bytes (RFC 3261 §17.2.2): take the request from the 'request' event`);
  }
}
