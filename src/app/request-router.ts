/**
 * The transaction user of the switch: every new request that passed the transport and
 * transaction layers arrives here, goes through the RFC 3261 §8.2 checks, and is handed to
 * the service for its method: REGISTER to the registrar, INVITE, CANCEL and the requests
 * inside calls to call control (src/app/calls), OPTIONS outside a dialog answered here.
 * Without call control (tests of the registrar alone) call requests get 481 / 405.
 */
import type { Logger } from '../log/logger.js';
import { isMidDialog } from '../sip/dialog/dialog-table.js';
import type { SipRequest, SipResponse } from '../sip/message.js';
import { checkRequest } from '../sip/request-checks.js';
import { createResponse } from '../sip/response.js';
import type { SipStack, TransactionUser } from '../sip/stack/sip-stack.js';
import type { ServerTransaction } from '../sip/transaction/transaction-layer.js';
import type { Flow } from '../sip/transport/flow.js';
import type { CallManager } from './calls/call-manager.js';
import type { ClientEvent } from './calls/sip-port.js';
import type { RegistrationService } from './registration/registration-service.js';

/** Methods this switch answers; others get 405 with this list in Allow (RFC 3261 §8.2.1). */
export const ALLOWED_METHODS = ['REGISTER', 'OPTIONS', 'INVITE', 'ACK', 'CANCEL', 'BYE', 'INFO', 'UPDATE', 'PRACK', 'REFER', 'NOTIFY'] as const;
/**
 * Option tags we implement (Require/Proxy-Require, RFC 3261 §8.2.2.3): Path (RFC 3327), outbound (RFC 5626), session
 * timers (RFC 4028), and for transfers (src/app/calls/transfer) Replaces (RFC 3891, an INVITE may require it) and
 * Refer-Sub (RFC 4488).
 */
export const SUPPORTED_OPTION_TAGS = ['path', 'outbound', 'timer', 'replaces', 'norefersub'] as const;
/** Only a new call is passed on (to the callee's leg): Max-Forwards 0 is no reason to refuse the rest (RFC 4475 §3.3.11). */
const FORWARDED = new Set(['INVITE']);
/** Bodies accepted per method (§8.2.3): SDP, DTMF in INFO, sipfrag in NOTIFY (RFC 3515 §2.4.5). */
const SDP = ['application/sdp'];
const INFO_TYPES = ['application/sdp', 'application/dtmf-relay', 'application/dtmf'];
const NOTIFY_TYPES = ['message/sipfrag', 'application/sdp'];
const acceptedContentTypes = (method: string): readonly string[] => (method === 'INFO' ? INFO_TYPES : method === 'NOTIFY' ? NOTIFY_TYPES : SDP);

export class RequestRouter implements TransactionUser {
  constructor(
    private readonly stack: SipStack,
    private readonly registrations: RegistrationService,
    private readonly logger: Logger,
    private readonly calls?: CallManager,
  ) {}

  request(req: SipRequest, tx: ServerTransaction, flow: Flow): void {
    const problem = checkRequest(req, {
      allowedMethods: ALLOWED_METHODS,
      supportedOptionTags: SUPPORTED_OPTION_TAGS,
      acceptedContentTypes,
      willForward: FORWARDED.has(req.method),
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
        if (this.calls && isMidDialog(req)) return this.calls.request(req, tx, flow);
        this.stack.respond(tx, this.optionsAnswer(req));
        return;
      case 'INVITE':
      case 'CANCEL':
      case 'BYE':
      case 'INFO':
      case 'UPDATE':
      case 'PRACK':
      case 'REFER':
      case 'NOTIFY':
        if (this.calls) return this.calls.request(req, tx, flow);
        // No dialog or INVITE transaction matched (RFC 3261 §12.2.2, §9.2).
        this.stack.respond(tx, createResponse(req, req.method === 'INVITE' || req.method === 'REFER' ? 501 : 481));
        return;
      default: {
        const res = createResponse(req, 405);
        res.headers.append('Allow', ALLOWED_METHODS.join(', '));
        this.stack.respond(tx, res);
      }
    }
  }

  /** ACK of a 2xx (RFC 3261 §13.2.2.4): only calls send 2xx to INVITE. */
  ack(req: SipRequest): void {
    this.calls?.ack(req);
  }

  /** Responses and timeouts of requests call control sent. */
  clientEvent(e: ClientEvent): void {
    this.calls?.clientEvent(e);
  }

  strayResponse(res: SipResponse): void {
    this.calls?.strayResponse(res);
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
