/**
 * Route sets and the Request-URI/Route of requests inside a dialog (RFC 3261 §12.1.1,
 * §12.1.2, §12.2.1.1, §16.12.1.2).
 *
 * - UAS: the route set is the Record-Route of the request, in order (§12.1.1).
 * - UAC: the route set is the Record-Route of the response, in reverse order (§12.1.2).
 * - Loose routing (first route has `lr`): Request-URI = remote target, Route = route set.
 * - Strict routing (no `lr`, RFC 2543 proxies): Request-URI = first route (without the
 *   parameters a Request-URI may not carry: `method` and URI headers, §19.1.1 table), Route =
 *   the rest of the route set followed by the remote target (§12.2.1.1, §16.12.1.2).
 */
import { formatNameAddr, parseNameAddr, recordRoutes } from '../headers/name-addr.js';
import type { SipMessage } from '../message.js';
import { formatUri, parseUri } from '../uri.js';

/** Record-Route elements as Route values (`<uri;lr>` ...), in message order. */
export function recordRouteValues(m: SipMessage): string[] {
  return recordRoutes(m).map((n) => formatNameAddr({ uri: n.uri, params: n.params }));
}

/** Whether a Route value designates a loose router (its URI has `lr`, §19.1.1). */
export function isLooseRoute(route: string): boolean {
  try {
    const uri = parseUri(parseNameAddr(route).uri);
    return uri.scheme !== 'tel' && uri.params.has('lr');
  } catch {
    return false;
  }
}

/** The URI of a Route value. */
export function routeUri(route: string): string {
  return parseNameAddr(route).uri;
}

/** A strict router's URI as a Request-URI: `method` and URI headers removed (§12.2.1.1, §19.1.1). */
export function asRequestUri(uri: string): string {
  try {
    const u = parseUri(uri);
    if (u.scheme === 'tel') return uri;
    if (!u.params.has('method') && u.headers.size === 0) return uri;
    u.params.delete('method');
    return formatUri({ ...u, headers: new Map() });
  } catch {
    return uri;
  }
}

export interface RoutedRequestTarget {
  requestUri: string;
  routes: string[];
  /** Where the request goes first (§8.1.2): the first loose route, the strict router, or the target. */
  nextHop: string;
}

/** §12.2.1.1: Request-URI, Route header values and next hop for a request in a dialog. */
export function routeRequest(routeSet: readonly string[], remoteTarget: string): RoutedRequestTarget {
  const first = routeSet[0];
  if (first === undefined) return { requestUri: remoteTarget, routes: [], nextHop: remoteTarget };
  if (isLooseRoute(first)) return { requestUri: remoteTarget, routes: routeSet.slice(), nextHop: routeUri(first) };
  const strict = asRequestUri(routeUri(first));
  return { requestUri: strict, routes: [...routeSet.slice(1), `<${remoteTarget}>`], nextHop: strict };
}
