/**
 * The transaction user of the switch: every new request that passed the transport and
 * transaction layers arrives here, goes through the RFC 3261 §8.2 checks, and is handed to
 * the service for its method. Calls (INVITE, in-dialog requests) join in the calls issue;
 * until then they are answered as the RFC says for a UA that does not support them.
 */
import type { Logger } from '../log/logger.js';
import type { SipRequest } from '../sip/message.js';
import { checkRequest } from '../sip/request-checks.js';
import { createResponse } from '../sip/response.js';
import type { SipStack, TransactionUser } from '../sip/stack/sip-stack.js';
import type { ServerTransaction } from '../sip/transaction/transaction-layer.js';
import type { Flow } from '../sip/transport/flow.js';
import type { RegistrationService } from './registration/registration-service.js';

/** Methods this switch answers; others get 405 with this list in Allow (RFC 3261 §8.2.1). */
export const ALLOWED_METHODS = ['REGISTER', 'OPTIONS', 'ACK', 'CANCEL', 'BYE'] as const;
/** Option tags we implement (Require/Proxy-Require, RFC 3261 §8.2.2.3): Path (RFC 3327), outbound (RFC 5626). */
export const SUPPORTED_OPTION_TAGS = ['path', 'outbound'] as const;
/** Requests the switch consumes itself rather than passing on: Max-Forwards 0 is no reason to refuse them (RFC 4475 §3.3.11). */
const CONSUMED = new Set(['REGISTER', 'OPTIONS']);

export class RequestRouter implements TransactionUser {
  constructor(
    private readonly stack: SipStack,
    private readonly registrations: RegistrationService,
    private readonly logger: Logger,
  ) {}

  request(req: SipRequest, tx: ServerTransaction, flow: Flow): void {
    const problem = checkRequest(req, {
      allowedMethods: ALLOWED_METHODS,
      supportedOptionTags: SUPPORTED_OPTION_TAGS,
      willForward: !CONSUMED.has(req.method),
    });
    if (problem) {
      this.logger.debug({ event: 'sip.rejected', method: req.method, status: problem.status, source: `${flow.remoteAddress}:${flow.remotePort}` }, `${req.method} rejected ${problem.status}`);
      this.stack.respond(tx, problem);
      return;
    }
    switch (req.method) {
      case 'REGISTER':
        this.stack.respond(tx, this.registrations.handle(req, flow));
        return;
      case 'OPTIONS':
        this.stack.respond(tx, this.optionsAnswer(req));
        return;
      case 'BYE':
      case 'CANCEL':
        // No dialog or INVITE transaction matched (RFC 3261 §12.2.2, §9.2).
        this.stack.respond(tx, createResponse(req, 481));
        return;
      default: {
        const res = createResponse(req, 405);
        res.headers.append('Allow', ALLOWED_METHODS.join(', '));
        this.stack.respond(tx, res);
      }
    }
  }

  /** RFC 3261 §11.2: what we support, for phones and monitors that ping us. */
  private optionsAnswer(req: SipRequest) {
    const res = createResponse(req, 200);
    res.headers.append('Allow', ALLOWED_METHODS.join(', '));
    res.headers.append('Accept', 'application/sdp');
    res.headers.append('Supported', SUPPORTED_OPTION_TAGS.join(', '));
    return res;
  }
}
