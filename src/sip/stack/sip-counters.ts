/** Message counters of one SIP stack, for stats and tests (never reset while running). */
export class SipCounters {
  /** Datagrams, framed stream messages and WebSocket messages received. */
  received = 0;
  /** Of those, the ones that did not parse or could not be framed. */
  malformed = 0;
  /** Messages handed to a transport (retransmissions included). */
  sent = 0;
  /** Transaction-user handlers that threw (each answered 500). */
  handlerErrors = 0;
}
