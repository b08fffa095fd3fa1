/**
 * Attended transfer of an answered call (REFER with Replaces, RFC 3891 §7.1; RFC 5589 §7.1):
 * the referrer B talks to A in call X and to C in call Y, and asks, in X, to replace its
 * dialog with C by A. Through a B2BUA both dialogs are B's dialogs with us, so nothing
 * travels to A or C as a Replaces: we join the two far ends ourselves.
 *
 *   X: A ─[T]─ switch ─[R]─ B        Y: B ─[mSide]─ switch ─[cSide]─ C
 *                      becomes
 *   X: A ─[T]─ switch ─[R]─ C        (Y dissolves: no BYE to C; B's two dialogs are absorbed)
 *
 * C's dialog moves into X on the referrer's side and is re-INVITEd with an offer of a new
 * endpoint of X for that side (its media re-anchored: A's side and C's side relayed in X's
 * worker; B's endpoint closes), the re-INVITE carrying A's P-Asserted-Identity; A gets C's
 * identity (identity-update.ts).
 * Y's endpoints close and its row ends as transferred. NOTIFY 200 after C's 2xx; both of
 * B's dialogs are BYEd after the grace period unless B hung them up.
 *
 * C refusing the re-INVITE (or not answering it): B gets the status in the NOTIFY, C's
 * dialog is ended, and A goes back to B when B's dialog is still up, else A's call ends.
 */
import type { CallerIdentity } from '../caller-id.js';
import type { Call } from '../call.js';
import { otherSide, type Side } from '../call-media.js';
import type { TransferEnvironment } from '../transfer-hook.js';
import { identityHeaders } from './identity-update.js';
import { partyIdentity } from './party-identity.js';
import type { ReferSubscription } from './refer-subscription.js';
import { REFERRER_BYE_GRACE_MS, ReferrerLeg } from './referrer-leg.js';
import type { ReplacedDialog } from './replaces.js';
import { endTransferRow, startTransferRow, transferredReason } from './transfer-history.js';
import { connectTransferred } from './transferred-call.js';

export interface AttendedSetup {
  call: Call;
  side: Side;
  referrer: ReferrerLeg;
  referrerId: CallerIdentity;
  transferee: CallerIdentity;
  subscription: ReferSubscription;
  /** The referrer's dialog in the other call (answered). */
  other: ReplacedDialog & { side: Side };
  done(): void;
}

/**
 * Opens the new endpoint, then joins the far ends (join). Returns what to tell when the call
 * ends before that is done.
 */
export function transferToAnsweredCall(env: TransferEnvironment, s: AttendedSetup): { callEnded(): void } {
  let ended = false;
  let joined: { callEnded(): void } | undefined;
  s.call.media.openStandby(s.side).then(
    () => {
      if (ended) return s.call.media.closeStandby(s.side);
      if (s.other.call.state === 'ended' || s.other.leg.state === 'ended') return fail(481, 'Call/Transaction Does Not Exist');
      joined = join(env, s);
    },
    (err: Error) => {
      if (ended) return;
      env.ctx.log.warn({ event: 'call.transfer_media', call: s.call.id, error: err.message }, 'no media endpoint for the transfer target');
      fail(503, 'Service Unavailable');
    },
  ).catch((err: Error) => env.ctx.log.error({ event: 'call.transfer_error', call: s.call.id, err: err.stack }, 'attended transfer failed'));
  function fail(status: number, reason: string): void {
    s.call.media.closeStandby(s.side);
    s.referrer.restore();
    s.subscription.final(status, reason);
    s.done();
  }
  return {
    callEnded: () => {
      ended = true;
      if (joined) return joined.callEnded();
      s.subscription.final(487, 'Request Terminated');
      s.done();
    },
  };
}

function join(env: TransferEnvironment, s: AttendedSetup): { callEnded(): void } {
  const { call, side } = s;
  const y = s.other.call;
  const cSide = otherSide(s.other.side);
  const target = y.legs[cSide]!;
  const identity = partyIdentity(env.directory, y, cSide);
  const user = (target.device ? env.directory.deviceByExt(target.device)?.user : undefined) ?? y.callee;
  const dialled = cSide === y.callerSide ? identity.number : y.dialled;
  const reason = transferredReason(identity, s.referrerId, true);

  const referrerY = new ReferrerLeg(env, s.other.leg, y);
  // Y's two dialogs leave it (C's to X, B's to referrerY); it then ends with no BYE to send.
  y.legs[s.other.side] = undefined;
  y.legs[cSide] = undefined;
  y.hangup(transferredReason(s.transferee, s.referrerId, true));
  call.replaceLeg(side, target);
  call.media.promoteStandby(side);
  call.transferring = true;
  const row = startTransferRow(env, { caller: s.transferee, dialled, callee: user });
  let over = false;
  const finish = () => {
    over = true;
    s.done();
  };

  target.sendOffer('INVITE', call.media.offerTo(side), identityHeaders(s.transferee, env.domain), (res) => {
    if (over) return;
    finish();
    if (res && res.status < 300 && call.state !== 'ended') {
      connectTransferred(env, call, otherSide(side), s.transferee, { user, device: target.device ?? '', identity, dialled }, { id: row, reason });
      s.subscription.final(200, 'OK');
      for (const r of [s.referrer, referrerY]) if (!r.gone) r.hangUpAfter(REFERRER_BYE_GRACE_MS);
      return;
    }
    const status = res?.status ?? 408;
    endTransferRow(env, row, 'failed', `${status} ${res?.reason ?? 'Request Timeout'}`);
    s.subscription.final(status, res?.reason);
    referrerY.hangUpAfter(0);
    if (call.state === 'ended') return;
    call.transferring = false;
    if (!s.referrer.gone) {
      call.replaceLeg(side, s.referrer.leg); // back to B, on the side's new endpoint
      target.bye();
      s.referrer.leg.sendOffer('INVITE', call.media.offerTo(side));
    } else call.hangup(`transfer failed: ${status} ${res?.reason ?? 'Request Timeout'}`);
  });
  return {
    callEnded: () => {
      if (over) return;
      finish();
      endTransferRow(env, row, 'failed', 'the transferee hung up');
      s.subscription.final(487, 'Request Terminated');
    },
  };
}
