/**
 * How transfers show in the call history (issue 3, "Call history"); decided here:
 *
 *   - the call that was transferred ends its row: disposition stays 'answered', endReason
 *     `transferred to <target> by <referrer>` (`(attended)` added for REFER with Replaces);
 *     the transferor's second call of an attended transfer ends the same way
 *   - the call the transfer makes - transferee with target - is a new row: caller = the
 *     transferee (who the target sees calling), dialled = the number transferred to, callee
 *     = the target's user, answered by the target's device; it starts when the target
 *     starts ringing (blind) or at the transfer (attended), and ends like any call
 *   - a blind transfer the target does not take ends that new row as busy / no-answer /
 *     failed; no answer and the transferee hanging up count as missed for the target user
 *     (the core's rule for callers and callees); an unknown number is a 'failed' row too
 *   - the live call keeps its id (`softswitch calls`, `hangup`) and writes the new row from
 *     then on (Call.historyId)
 */
import { randomUUID } from 'node:crypto';
import type { CallDisposition, CallParty } from '../../../store/calls-repository.js';
import type { UserRecord } from '../../../store/records.js';
import type { CallerIdentity } from '../caller-id.js';
import type { Call } from '../call.js';
import type { TransferEnvironment } from '../transfer-hook.js';

export interface TransferRowStart {
  caller: CallerIdentity;
  dialled: string;
  callee: UserRecord | null;
}

/** Inserts the row of the call a transfer makes; returns its id. */
export function startTransferRow(env: TransferEnvironment, r: TransferRowStart): string {
  const id = randomUUID();
  const at = env.ctx.clock.now();
  const parties: CallParty[] = [];
  if (r.caller.userExt) parties.push({ callId: id, userExt: r.caller.userExt, role: 'caller', missed: false });
  if (r.callee) parties.push({ callId: id, userExt: r.callee.ext, role: 'callee', missed: false });
  env.history.started(
    {
      id, callerNumber: r.caller.number, callerName: r.caller.name, callerDevice: r.caller.device, dialled: r.dialled, calleeUser: r.callee?.ext ?? null,
      answeredBy: null, startedAt: at, answeredAt: null, endedAt: null, disposition: null, endReason: null,
    },
    parties,
  );
  return id;
}

/** A transfer row that never connected. */
export function endTransferRow(env: TransferEnvironment, id: string, disposition: CallDisposition, reason: string, missedUser?: string): void {
  env.history.ended(id, { endedAt: env.ctx.clock.now(), disposition, endReason: reason }, missedUser ? [missedUser] : []);
}

export function transferredReason(target: CallerIdentity | string, referrer: CallerIdentity, attended: boolean): string {
  const to = typeof target === 'string' ? target : target.number;
  return `transferred to ${to} by ${referrer.number}${attended ? ' (attended)' : ''}`;
}

/** The row `call` wrote so far ends as transferred; from now on it writes `newRow`, answered now by `device`. */
export function switchRows(env: TransferEnvironment, call: Call, newRow: string, device: string, reason: string): void {
  const now = env.ctx.clock.now();
  env.history.ended(call.historyId, { endedAt: now, disposition: 'answered', endReason: reason }, []);
  call.historyId = newRow;
  env.history.answered(newRow, now, device);
}
