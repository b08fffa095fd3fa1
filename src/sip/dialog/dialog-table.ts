/**
 * The live dialogs of a UA, keyed by dialog id, for finding the dialog of an incoming
 * request (§12.2.2: Call-ID, To tag = local, From tag = remote) or of a response to a
 * request we sent (Call-ID, From tag = local, To tag = remote).
 *
 * A request whose To has a tag but matches no dialog gets a 481 from the TU (§12.2.2);
 * `isMidDialog` tells such requests from new ones.
 */
import { to } from '../headers/name-addr.js';
import type { SipRequest, SipResponse } from '../message.js';
import type { Dialog } from './dialog.js';
import { dialogKeyOfRequest, dialogKeyOfResponse } from './dialog-id.js';

export class DialogTable {
  private readonly dialogs = new Map<string, Dialog>();

  get size(): number {
    return this.dialogs.size;
  }

  add(dialog: Dialog): void {
    const existing = this.dialogs.get(dialog.key);
    if (existing !== undefined && existing !== dialog) throw new Error(`a dialog with id ${JSON.stringify(dialog.key)} exists already`);
    this.dialogs.set(dialog.key, dialog);
  }

  remove(dialog: Dialog): boolean {
    if (this.dialogs.get(dialog.key) !== dialog) return false;
    return this.dialogs.delete(dialog.key);
  }

  get(key: string): Dialog | undefined {
    return this.dialogs.get(key);
  }

  /** §12.2.2: the dialog an incoming request belongs to. */
  findForRequest(req: SipRequest): Dialog | undefined {
    const key = dialogKeyOfRequest(req);
    return key === undefined ? undefined : this.dialogs.get(key);
  }

  /** The dialog a response to our request belongs to (a 2xx retransmission, a BYE's 200 ...). */
  findForResponse(res: SipResponse): Dialog | undefined {
    const key = dialogKeyOfResponse(res);
    return key === undefined ? undefined : this.dialogs.get(key);
  }

  values(): IterableIterator<Dialog> {
    return this.dialogs.values();
  }
}

/** §12.2: a request with a To tag claims to be inside a dialog (no match -> 481, §12.2.2). */
export function isMidDialog(req: SipRequest): boolean {
  try {
    return to(req).tag !== undefined;
  } catch {
    return false;
  }
}
