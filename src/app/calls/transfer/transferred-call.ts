/**
 * The last step of every transfer: the call's dialog on one side now leads to the target,
 * and the call becomes "transferee calls target" - for `softswitch calls`, for the history
 * (a new row, transfer-history.ts) and for the transferee's phone, which is told who it
 * talks to now (identity-update.ts). The target was told already: the INVITE that rang it
 * (blind) or the re-INVITE that moved its media (attended) carried the transferee's identity.
 */
import type { UserRecord } from '../../../store/records.js';
import type { CallerIdentity } from '../caller-id.js';
import type { Call } from '../call.js';
import type { Side } from '../call-media.js';
import type { TransferEnvironment } from '../transfer-hook.js';
import { sendConnectedIdentity } from './identity-update.js';
import { describe } from './party-identity.js';
import { switchRows } from './transfer-history.js';

export interface TransferTarget {
  user: UserRecord;
  /** The target's device (now on the call's other side). */
  device: string;
  identity: CallerIdentity;
  /** What the history shows as dialled. */
  dialled: string;
}

export function connectTransferred(
  env: TransferEnvironment,
  call: Call,
  transfereeSide: Side,
  transferee: CallerIdentity,
  target: TransferTarget,
  row: { id: string; reason: string },
): void {
  switchRows(env, call, row.id, target.device, row.reason);
  call.caller = transferee;
  call.callerSide = transfereeSide;
  call.callee = target.user;
  call.dialled = target.dialled;
  call.answeredBy = target.device;
  call.answeredAt = env.ctx.clock.now();
  call.transferring = false;
  sendConnectedIdentity(call, transfereeSide, target.identity, env.domain);
  env.ctx.log.info(
    { event: 'call.transferred', call: call.id, row: row.id, transferee: transferee.device, target: target.device },
    `call ${call.id} ${row.reason}: ${describe(transferee)} now talks to ${describe(target.identity)}`,
  );
}
