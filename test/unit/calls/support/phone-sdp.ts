/** SDP bodies as test phones write them (RFC 4566), with the usual payload types. */
import type { MediaDirection } from '../../../../src/rtp/sdp/index.js';

export interface PhoneSdpSpec {
  address?: string;
  port: number;
  /** Codec names in preference order: PCMU PCMA G722 opus (or anything else, e.g. G729). */
  codecs?: string[];
  /** Offer/answer telephone-event 101/8000 (RFC 4733). Default true. */
  te?: boolean;
  direction?: MediaDirection;
  version?: number;
}

const FORMATS: Record<string, { pt: number; map: string }> = {
  PCMU: { pt: 0, map: 'PCMU/8000' },
  PCMA: { pt: 8, map: 'PCMA/8000' },
  G722: { pt: 9, map: 'G722/8000' },
  G729: { pt: 18, map: 'G729/8000' },
  opus: { pt: 111, map: 'opus/48000/2' },
};

export function phoneSdp(spec: PhoneSdpSpec, defaultAddress = '192.0.2.99'): string {
  const address = spec.address ?? defaultAddress;
  const codecs = (spec.codecs ?? ['PCMU', 'PCMA']).map((c) => FORMATS[c]!);
  const pts = codecs.map((c) => c.pt);
  const te = spec.te ?? true;
  if (te) pts.push(101);
  const lines = [
    'v=0',
    `o=- 4242 ${spec.version ?? 1} IN IP4 ${address}`,
    's=-',
    `c=IN IP4 ${address}`,
    't=0 0',
    `m=audio ${spec.port} RTP/AVP ${pts.join(' ')}`,
    ...codecs.map((c) => `a=rtpmap:${c.pt} ${c.map}`),
    ...(te ? ['a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-16'] : []),
    `a=${spec.direction ?? 'sendrecv'}`,
  ];
  return lines.join('\r\n') + '\r\n';
}
