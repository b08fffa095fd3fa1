/**
 * The default join and leave tones: two short beeps, rising for a join, falling for a
 * leave, generated with src/dsp/tone.ts at the room rate (no files needed).
 */
import { toneSamples } from '../../dsp/tone.js';

const cache = new Map<string, Int16Array>();

export function roomTone(kind: 'join' | 'leave', rate: number): Int16Array {
  const key = `${kind}/${rate}`;
  let pcm = cache.get(key);
  if (!pcm) {
    const [f1, f2] = kind === 'join' ? [600, 900] : [900, 600];
    const beep = (rate * 80) / 1000;
    const gap = (rate * 40) / 1000;
    pcm = new Int16Array(2 * beep + gap);
    pcm.set(toneSamples(rate, f1, beep, { amplitude: 6000 }), 0);
    pcm.set(toneSamples(rate, f2, beep, { amplitude: 6000 }), beep + gap);
    cache.set(key, pcm);
  }
  return pcm;
}
