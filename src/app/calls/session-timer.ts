/**
 * RFC 4028 session timers, for dialogs whose phone asks for them: the negotiation (pure
 * functions on messages) and, per dialog, the deadlines (SessionTimer).
 *
 * Negotiation, as UAS of a (re-)INVITE or UPDATE (§9):
 *   no Session-Expires (and no Require: timer) ... no timer: the phone did not ask
 *   Session-Expires below our Min-SE (90 s) ..... 422 with Min-SE (§9, §4: 90 s floor)
 *   otherwise ..................................... interval = min(asked, configured), never
 *       below the request's Min-SE; refresher = the request's `refresher`, else 'uac' when
 *       the UAC supports timer, else 'uas'; the 2xx carries Session-Expires with refresher,
 *       and Require: timer when the refresher is the UAC (§9)
 * As UAC (§7.2): a 2xx with Session-Expires starts the timer with the refresher it names.
 *
 * Deadlines (§10): the refresher refreshes at half the interval; the other side sends BYE
 * when no refresh came by interval - min(32 s, interval/3). A refresher whose refreshes fail
 * ends the session at the full interval. Any 2xx to a re-INVITE or UPDATE in the dialog is
 * a refresh (§7.4, §9).
 */
import { requireTags, supported } from '../../sip/headers/option-tags.js';
import type { SipMessage } from '../../sip/message.js';
import type { CallTimer, CallTimers } from './call-timers.js';

/** RFC 4028 §4: the smallest Min-SE, and ours. */
export const MIN_SE = 90;

export type Refresher = 'uac' | 'uas';

export interface SessionExpires {
  seconds: number;
  refresher?: Refresher;
}

/** Session-Expires (RFC 4028 §4): `delta-seconds *(;se-params)`; undefined when absent or unreadable. */
export function sessionExpires(m: SipMessage): SessionExpires | undefined {
  const v = m.headers.get('session-expires');
  if (v === undefined) return undefined;
  const parts = v.split(';');
  const seconds = Number(parts[0]!.trim());
  if (!/^\d{1,10}$/.test(parts[0]!.trim()) || seconds <= 0) return undefined;
  const out: SessionExpires = { seconds };
  for (const p of parts.slice(1)) {
    const [name, value] = p.split('=').map((s) => s.trim().toLowerCase());
    if (name === 'refresher' && (value === 'uac' || value === 'uas')) out.refresher = value;
  }
  return out;
}

/** Min-SE (RFC 4028 §5), default 90. */
export function minSe(m: SipMessage): number {
  const v = m.headers.get('min-se');
  const n = v === undefined ? NaN : Number(v.split(';')[0]!.trim());
  return Number.isInteger(n) && n > 0 ? n : MIN_SE;
}

function has(tags: () => string[], tag: string): boolean {
  try {
    return tags().includes(tag);
  } catch {
    return false;
  }
}

export type UasNegotiation =
  | { kind: 'none' }
  | { kind: 'too-small'; minSe: number }
  | { kind: 'timer'; seconds: number; refresher: Refresher; headers: Array<[string, string]> };

/** §9: what the UAS of `req` does about session timers, given the interval it is configured with. */
export function negotiateAsUas(req: SipMessage, configured: number): UasNegotiation {
  const asked = sessionExpires(req);
  const required = has(() => requireTags(req), 'timer');
  if (asked === undefined && !required) return { kind: 'none' };
  if (asked !== undefined && asked.seconds < MIN_SE) return { kind: 'too-small', minSe: MIN_SE };
  const floor = Math.max(MIN_SE, minSe(req));
  const seconds = Math.max(floor, Math.min(asked?.seconds ?? configured, configured));
  const uacSupports = required || has(() => supported(req), 'timer');
  const refresher: Refresher = asked?.refresher ?? (uacSupports ? 'uac' : 'uas');
  const headers: Array<[string, string]> = [['Session-Expires', `${seconds};refresher=${refresher}`]];
  if (refresher === 'uac') headers.push(['Require', 'timer']);
  return { kind: 'timer', seconds, refresher, headers };
}

/** §7.2: the timer a 2xx to our (re-)INVITE or UPDATE sets up; undefined when it has none. */
export function negotiatedAsUac(res: SipMessage): { seconds: number; refresher: Refresher } | undefined {
  const se = sessionExpires(res);
  if (se === undefined || se.seconds < MIN_SE) return undefined;
  return { seconds: se.seconds, refresher: se.refresher ?? 'uac' };
}

/** The deadlines of one dialog's session timer. */
export class SessionTimer {
  seconds = 0;
  /** Whether we refresh (true) or the phone does. */
  refreshing = false;
  private refreshTimer: CallTimer | undefined;
  private expiryTimer: CallTimer | undefined;

  constructor(
    private readonly timers: CallTimers,
    private readonly refresh: () => void,
    private readonly expired: () => void,
  ) {}

  get running(): boolean {
    return this.expiryTimer?.pending ?? false;
  }

  /** (Re)starts the timer after a successful refresh or negotiation. */
  start(seconds: number, weRefresh: boolean): void {
    this.stop();
    this.seconds = seconds;
    this.refreshing = weRefresh;
    const ms = seconds * 1000;
    if (weRefresh) this.refreshTimer = this.timers.schedule('session refresh', ms / 2, this.refresh);
    // §10: the side that does not refresh sends BYE min(32, SE/3) seconds before expiry.
    const end = weRefresh ? ms : ms - Math.min(32_000, ms / 3);
    this.expiryTimer = this.timers.schedule('session expiry', end, this.expired);
  }

  stop(): void {
    this.timers.cancel(this.refreshTimer);
    this.timers.cancel(this.expiryTimer);
  }
}
