/**
 * The implicit subscription a REFER creates (RFC 3515 §2.4.4), from the notifier's side: we
 * tell the referrer how the request it asked for is doing with NOTIFYs in the REFER's
 * dialog, each carrying the status line of that request's latest response as a
 * message/sipfrag body (RFC 3515 §2.4.5, RFC 3420):
 *
 *   202 to the REFER, then at once ..... NOTIFY "SIP/2.0 100 Trying"   Subscription-State: active;expires=N
 *   the target rings ................... NOTIFY "SIP/2.0 180 Ringing"  active
 *   the outcome ........................ NOTIFY "SIP/2.0 200 OK" (or the failure: 486, 404, 481 ...)
 *                                        Subscription-State: terminated;reason=noresource (RFC 3515 §2.4.7)
 *
 * Event: refer;id=<CSeq of the REFER> (RFC 3515 §2.4.6). One NOTIFY at a time: the next
 * waits for the final response to the previous (RFC 6665 §4.2.2), and a progress report
 * still waiting when the outcome is known is dropped. A NOTIFY answered with an error or
 * not at all ends the subscription, not the dialog (RFC 6665 §4.1.2.3; RFC 5057 §5.2: a 481
 * to a NOTIFY ends only that usage), so NOTIFYs are sent here, not through DialogLeg.request,
 * which treats a 481 as the end of the dialog. With Refer-Sub: false nothing is sent (RFC
 * 4488 §4).
 */
import type { DialogLeg } from '../dialog-leg.js';
import type { TransferEnvironment } from '../transfer-hook.js';
import { SIPFRAG_TYPE, sipfragStatus } from './sipfrag.js';

interface Report {
  status: number;
  reason: string | undefined;
  final: boolean;
}

export class ReferSubscription {
  /** No more NOTIFYs: the outcome was sent, or the referrer stopped listening. */
  terminated: boolean;
  private inFlight = false;
  private waiting: Report | undefined;

  constructor(
    private readonly env: TransferEnvironment,
    private readonly leg: DialogLeg,
    /** CSeq number of the REFER (RFC 3515 §2.4.6). */
    private readonly id: number,
    /** False for Refer-Sub: false (RFC 4488). */
    enabled: boolean,
    /** Subscription duration announced while active, in seconds. */
    private readonly expires: number,
  ) {
    this.terminated = !enabled;
  }

  /** A provisional status of the referred request (100, 180, 183). */
  progress(status: number, reason?: string): void {
    this.report({ status, reason, final: false });
  }

  /** The final outcome; the subscription ends with it. */
  final(status: number, reason?: string): void {
    this.report({ status, reason, final: true });
  }

  private report(r: Report): void {
    if (this.terminated) return;
    if (r.final) this.terminated = true;
    if (this.inFlight) {
      if (!this.waiting?.final) this.waiting = r;
      return;
    }
    this.send(r);
  }

  private send(r: Report): void {
    const { leg } = this;
    if (leg.state === 'ended' || leg.dialog.state === 'terminated') {
      this.terminated = true;
      return;
    }
    const state = r.final ? 'terminated;reason=noresource' : `active;expires=${this.expires}`;
    const req = leg.dialog.createRequest('NOTIFY', {
      headers: [['Event', `refer;id=${this.id}`], ['Subscription-State', state]],
      contact: leg.contact(), // RFC 6665 §4.1.3 / §4.2.2: NOTIFY is a target refresh request
      body: sipfragStatus(r.status, r.reason),
      contentType: SIPFRAG_TYPE,
    });
    this.inFlight = true;
    const tx = this.env.ctx.sip.sendRequest(req, leg.flow);
    this.env.ctx.track(tx, (e) => {
      if (e.type === 'response' && e.response.status < 200) return;
      this.inFlight = false;
      if (e.type !== 'response' || e.response.status >= 300) {
        this.terminated = true;
        this.waiting = undefined;
        this.env.ctx.log.info({ event: 'call.transfer_notify_failed', status: e.type === 'response' ? e.response.status : e.type }, 'the referrer no longer takes NOTIFYs for its REFER');
        return;
      }
      const next = this.waiting;
      this.waiting = undefined;
      if (next) this.send(next);
    });
  }
}
