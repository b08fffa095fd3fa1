/**
 * Why an SDP body cannot be used. `status` is the SIP response call control sends:
 * 400 for a body that is not valid SDP (RFC 4566), 488 Not Acceptable Here for a valid body
 * we cannot answer (RFC 3261 §21.4.26, RFC 3264 §6). `warning` is the RFC 3261 §20.43
 * Warning code that explains a 488 (301-399), when one fits.
 */
export class SdpError extends Error {
  override readonly name = 'SdpError';

  constructor(
    message: string,
    readonly status: 400 | 488,
    readonly warning?: { code: number; text: string },
  ) {
    super(message);
  }
}
