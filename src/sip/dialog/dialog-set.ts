/**
 * The dialogs one INVITE creates at the UAC (RFC 3261 §12.1.2, §13.2.2.4): a downstream
 * proxy may fork, so each To tag in a 101-199 or 2xx is its own dialog (early, then
 * confirmed), and several 2xx may arrive - each must be ACKed, each is a confirmed dialog.
 *
 *   100 / 1xx without To tag ....... nothing (§12.1: only 101-199 with a To tag and 2xx establish)
 *   101-199 with a new tag ......... new early dialog
 *   101-199 with a known tag ....... remote target refreshed from its Contact
 *   2xx with a known early tag ..... confirmed, route set recomputed from the 2xx (§13.2.2.4)
 *   2xx with a new tag ............. new confirmed dialog (§13.2.2.4)
 *   2xx for a confirmed dialog ..... a retransmission: re-send the ACK (§13.2.2.4)
 *   300-699 ........................ every early dialog ends (§12.3)
 *   transactionEnded() ............. early dialogs that never got a 2xx end (§13.2.2.4, 64*T1)
 *
 * With a DialogTable, dialogs are added when created and removed when they end here.
 */
import type { SipRequest, SipResponse } from '../message.js';
import { to } from '../headers/name-addr.js';
import { Dialog, type DialogOptions } from './dialog.js';
import type { DialogTable } from './dialog-table.js';

export type DialogSetUpdate =
  | { kind: 'none' }
  | { kind: 'early'; dialog: Dialog; created: boolean }
  | { kind: 'confirmed'; dialog: Dialog; created: boolean }
  /** A 2xx for a dialog already confirmed: `ack` is the ACK sent for it (undefined if the TU has not ACKed yet). */
  | { kind: 'retransmission'; dialog: Dialog; ack: SipRequest | undefined }
  | { kind: 'failed'; terminated: Dialog[] };

export interface DialogSetOptions extends DialogOptions {
  table?: DialogTable;
}

export class DialogSet {
  /** Dialogs by remote tag. */
  private readonly byTag = new Map<string, Dialog>();

  constructor(
    readonly invite: SipRequest,
    private readonly opts: DialogSetOptions = {},
  ) {}

  get dialogs(): Dialog[] {
    return [...this.byTag.values()];
  }

  receiveResponse(res: SipResponse): DialogSetUpdate {
    if (res.status >= 300) return { kind: 'failed', terminated: this.endEarly() };
    const tag = to(res).tag;
    if (res.status < 200 && (res.status === 100 || tag === undefined)) return { kind: 'none' };
    const known = this.byTag.get(tag ?? '');
    if (known === undefined) return this.create(res);
    if (known.state === 'terminated') return { kind: 'none' };
    if (res.status < 200) {
      known.updateFromInviteResponse(res);
      return { kind: 'early', dialog: known, created: false };
    }
    if (known.state === 'confirmed') return { kind: 'retransmission', dialog: known, ack: known.ackFor(res) };
    known.updateFromInviteResponse(res);
    return { kind: 'confirmed', dialog: known, created: false };
  }

  /** The INVITE transaction ended (Timer M, or B): early dialogs still early are terminated (§13.2.2.4). */
  transactionEnded(): Dialog[] {
    return this.endEarly();
  }

  private create(res: SipResponse): DialogSetUpdate {
    const dialog = Dialog.uac(this.invite, res, this.opts);
    this.byTag.set(dialog.id.remoteTag, dialog);
    this.opts.table?.add(dialog);
    return dialog.state === 'confirmed' ? { kind: 'confirmed', dialog, created: true } : { kind: 'early', dialog, created: true };
  }

  private endEarly(): Dialog[] {
    const ended: Dialog[] = [];
    for (const d of this.byTag.values()) {
      if (d.state !== 'early') continue;
      d.terminate();
      this.opts.table?.remove(d);
      ended.push(d);
    }
    return ended;
  }
}
