/**
 * One mixer tick without sockets: a Room of N participants whose endpoints are stand-ins
 * (frames handed over directly, sends counted, not sent), to show what the arithmetic of a
 * tick costs next to the socket calls. Three talkers send tones; the others are silent by
 * RFC 6464 (not decoded) or, with `all-decoded`, send decoded low noise every tick.
 *
 *   node dist/bench/mixer/tick.js [N=1000] [ticks=500]
 */
import type { Endpoint } from '../../src/mixer/endpoint/endpoint.js';
import { Pulled } from '../../src/mixer/endpoint/inbound-audio.js';
import { Room } from '../../src/mixer/room/room.js';
import { RoomSpan } from '../../src/mixer/span/room-span.js';
import { SoftLimiter } from '../../src/mixer/mix/soft-limiter.js';
import { PCMU } from '../../src/rtp/codec/g711.js';
import { ToneGenerator } from '../../src/dsp/tone.js';

const N = Number(process.argv[2] ?? 1000);
const TICKS = Number(process.argv[3] ?? 500);

/** What Room and Participant use of an Endpoint; decoding is the real G.711 decoder. */
function standIn(id: string, toneHz: number | undefined, decodeNoise: boolean): { ep: Endpoint; sent: () => number } {
  let sent = 0;
  const tone = toneHz ? new ToneGenerator(8000, toneHz, { amplitude: 4000 }) : undefined;
  const dec = PCMU.createDecoder();
  const noise = new Uint8Array(160).map((_, i) => 0xff - (i % 3)); // mu-law codes near zero
  const inbound = {
    pcm: new Int16Array(960),
    samples: 160,
    energy: 0,
    codec: PCMU,
    pull(): Pulled {
      if (tone) tone.fill(inbound.pcm, 160);
      else if (decodeNoise) dec.decode(noise, inbound.pcm);
      else return Pulled.Silent;
      let e = 0;
      for (let i = 0; i < 160; i++) e += inbound.pcm[i]! * inbound.pcm[i]!;
      inbound.energy = e / 160;
      return Pulled.Decoded;
    },
  };
  const enc = PCMU.createEncoder();
  const ep = {
    id,
    muted: false,
    deafened: false,
    canSend: true,
    sendCodec: PCMU,
    encoder: enc,
    inbound,
    sendPayload: () => void sent++,
  };
  return { ep: ep as unknown as Endpoint, sent: () => sent };
}

function run(decodeAll: boolean): void {
  const span = RoomSpan.create(1, 3, 8000);
  span.setHost(0, true);
  const room = new Room({ roomId: 'bench' }, span, { worker: 0, limiter: new SoftLimiter(), emit: () => undefined, music: () => undefined, spanLate: () => undefined });
  const eps = Array.from({ length: N }, (_, i) => standIn(`p${i}`, i < 3 ? [440, 620, 830][i] : undefined, decodeAll));
  eps.forEach((e, i) => room.add(e.ep, i, false, undefined));
  for (let t = 0; t < 50; t++) room.gather(t); // warm up the JIT
  const t0 = performance.now();
  for (let t = 50; t < 50 + TICKS; t++) room.gather(t);
  const ms = (performance.now() - t0) / TICKS;
  const label = decodeAll ? 'every source decoded' : 'silent sources skipped (RFC 6464)';
  console.log(`${String(N).padStart(5)} participants, ${label.padEnd(36)} ${ms.toFixed(3)} ms per tick (${((ms / 20) * 100).toFixed(1)} % of a core), ${eps[10]!.sent()} frames to each listener`);
}

run(false);
run(true);
