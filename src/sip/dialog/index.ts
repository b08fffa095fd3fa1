/** The SIP dialog layer (RFC 3261 §12, §13.2.2.4, §13.3.1.4). */
export { Dialog, type DialogOptions, type DialogState, type InDialogVerdict, type UasDialogOptions } from './dialog.js';
export { dialogKey, dialogKeyOfRequest, dialogKeyOfResponse, newTag, type DialogId } from './dialog-id.js';
export type { InDialogRequestOptions } from './dialog-requests.js';
export { DialogSet, type DialogSetOptions, type DialogSetUpdate } from './dialog-set.js';
export { DialogTable, isMidDialog } from './dialog-table.js';
export { asRequestUri, isLooseRoute, recordRouteValues, routeRequest, type RoutedRequestTarget } from './route-set.js';
export { isTargetRefresh, TARGET_REFRESH_METHODS } from './target-refresh.js';
export { Uas2xxRetransmitter, uas2xxKey, uas2xxKeyOfAck, type Retransmit2xx, type Uas2xxEvent, type Uas2xxRetransmitterOptions } from './uas-2xx-retransmitter.js';
