/**
 * The two sub-band ADPCM coders of ITU-T G.722 (64 kbit/s, mode 1), written from the block
 * descriptions of the Recommendation (§6.2 "Computational details", block names kept:
 * SUBTRA, QUANTL/QUANTH, INVQAL/INVQBL/INVQAH, LOGSCL/LOGSCH, SCALEL/SCALEH, and the
 * adaptive predictor of block 4: RECONS, PARREC, UPPOL2, UPPOL1, UPZERO, DELAYA, FILTEP,
 * FILTEZ, PREDIC). All arithmetic is 16-bit integer with saturation, as the Recommendation
 * specifies, so the coder is bit-exact and deterministic.
 *
 * Lower band: 6-bit quantizer, but the predictor and scale factor adapt on the 4 most
 * significant bits only (embedded ADPCM), so a decoder that gets 5 or 4 bits stays in step.
 * Higher band: 2-bit quantizer.
 */

/** Q6: lower-band 6-bit quantizer decision levels, index = interval mL (G.722 Table 14). */
const Q6 = new Int32Array([
  0, 35, 72, 110, 150, 190, 233, 276, 323, 370, 422, 473, 530, 587, 650, 714, 786, 858, 940, 1023, 1121, 1219, 1339,
  1458, 1612, 1765, 1980, 2195, 2557, 2919,
]);
/** Output code for interval mL of a negative / non-negative difference (G.722 Table 16). */
const ILN = new Int32Array([
  0, 63, 62, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4,
]);
const ILP = new Int32Array([
  0, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33,
  32,
]);
/**
 * QQ6 x 8 with sign, indexed by the 6-bit code (G.722 Tables 14 and 18). Codes 0-3 cannot
 * be sent; a decoder receiving them (bit errors) treats them as interval 1 negative.
 */
const QM6 = new Int32Array([
  -136, -136, -136, -136, -24808, -21904, -19008, -16704, -14984, -13512, -12280, -11192, -10232, -9360, -8576, -7856,
  -7192, -6576, -6000, -5456, -4944, -4464, -4008, -3576, -3168, -2776, -2400, -2032, -1688, -1360, -1040, -728, 24808,
  21904, 19008, 16704, 14984, 13512, 12280, 11192, 10232, 9360, 8576, 7856, 7192, 6576, 6000, 5456, 4944, 4464, 4008,
  3576, 3168, 2776, 2400, 2032, 1688, 1360, 1040, 728, 432, 136, -432, -136,
]);
/** QQ4 x 8 with sign, indexed by the 4-bit truncated code (G.722 Tables 14 and 17). */
const QM4 = new Int32Array([0, -20456, -12896, -8968, -6288, -4240, -2584, -1200, 20456, 12896, 8968, 6288, 4240, 2584, 1200, 0]);
/** 4-bit code -> magnitude IL4 (G.722 Table 17). */
const RL42 = new Int32Array([0, 7, 6, 5, 4, 3, 2, 1, 7, 6, 5, 4, 3, 2, 1, 0]);
/** Lower-band log scale factor multipliers WL, indexed by IL4 (G.722 Table 14). */
const WL = new Int32Array([-60, -30, 58, 172, 334, 538, 1198, 3042]);
/** Log-to-linear table ILB for SCALEL/SCALEH (G.722 Table 15). */
const ILB = new Int32Array([
  2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543, 2599, 2656, 2714, 2774, 2834, 2896, 2960, 3025, 3091,
  3158, 3228, 3298, 3371, 3444, 3520, 3597, 3676, 3756, 3838, 3922, 4008,
]);
/** Higher band: QQ2 x 8 with sign by 2-bit code, codes per interval, magnitude, WH (Tables 6, 14, 20). */
const QM2 = new Int32Array([-7408, -1616, 7408, 1616]);
const IHN = new Int32Array([0, 1, 0]);
const IHP = new Int32Array([0, 3, 2]);
const RH2 = new Int32Array([2, 1, 2, 1]);
const WH = new Int32Array([0, -214, 798]);
/** QUANTH decision level Q2(1) (Table 14). */
const Q2 = 564;

/** Clamp to a signed 16-bit word (the Recommendation's saturation). */
function sat(x: number): number {
  return x > 32767 ? 32767 : x < -32768 ? -32768 : x;
}

/** Receive-side limiter of the reconstructed sub-band signals to 15 bits. */
export function limit15(x: number): number {
  return x > 16383 ? 16383 : x < -16384 ? -16384 : x;
}

/** State of one sub-band ADPCM coder (encoder and decoder keep identical copies). */
export class SubBandState {
  /** Predictor output s, its pole part sp and zero part sz. */
  s = 0;
  sp = 0;
  sz = 0;
  /** Reconstructed signal r(n-1), r(n-2) and partially reconstructed p(n-1), p(n-2). */
  r1 = 0;
  r2 = 0;
  p1 = 0;
  p2 = 0;
  /** Pole predictor coefficients a1, a2. */
  a1 = 0;
  a2 = 0;
  /** Quantized differences d(n-1..n-6) at [1..6] and zero predictor coefficients b1..b6. */
  readonly d = new Int32Array(7);
  readonly b = new Int32Array(7);
  /** Log scale factor nabla and scale factor delta. */
  nb = 0;
  det: number;

  constructor(readonly lower: boolean) {
    this.det = lower ? 32 : 8;
  }

  reset(): void {
    this.s = this.sp = this.sz = this.r1 = this.r2 = this.p1 = this.p2 = this.a1 = this.a2 = this.nb = 0;
    this.d.fill(0);
    this.b.fill(0);
    this.det = this.lower ? 32 : 8;
  }
}

/** LOGSCL + SCALEL (lower) or LOGSCH + SCALEH (higher): adapt the scale factor. */
function adaptScale(st: SubBandState, multiplier: number, max: number, shiftBase: number): void {
  let nb = ((st.nb * 127) >> 7) + multiplier; // leakage 127/128
  if (nb < 0) nb = 0;
  else if (nb > max) nb = max;
  st.nb = nb;
  const wd1 = (nb >> 6) & 31;
  const wd2 = shiftBase - (nb >> 11);
  const wd3 = wd2 < 0 ? ILB[wd1]! << -wd2 : ILB[wd1]! >> wd2;
  st.det = wd3 << 2;
}

/** Block 4: update the adaptive predictor with the quantized difference `dx`. */
function adaptPredictor(st: SubBandState, dx: number): void {
  const r0 = sat(st.s + dx); // RECONS
  const p0 = sat(st.sz + dx); // PARREC
  const sg0 = p0 >> 15;
  const sg1 = st.p1 >> 15;
  const sg2 = st.p2 >> 15;
  // UPPOL2
  const f = sat(st.a1 << 2);
  let wd2 = sg0 === sg1 ? -f : f;
  if (wd2 > 32767) wd2 = 32767;
  let ap2 = (wd2 >> 7) + (sg0 === sg2 ? 128 : -128) + ((st.a2 * 32512) >> 15);
  if (ap2 > 12288) ap2 = 12288;
  else if (ap2 < -12288) ap2 = -12288;
  // UPPOL1
  let ap1 = sat((sg0 === sg1 ? 192 : -192) + ((st.a1 * 32640) >> 15));
  const lim = sat(15360 - ap2);
  if (ap1 > lim) ap1 = lim;
  else if (ap1 < -lim) ap1 = -lim;
  // UPZERO (leak 255/256, +-128 towards the sign agreement), then DELAYA on d and b
  const step = dx === 0 ? 0 : 128;
  const sgd = dx >> 15;
  const d = st.d;
  const b = st.b;
  const d1 = d[1]!;
  const d2 = d[2]!;
  const d3 = d[3]!;
  const d4 = d[4]!;
  const d5 = d[5]!;
  const d6 = d[6]!;
  const b1 = sat(((d1 >> 15) === sgd ? step : -step) + ((b[1]! * 32640) >> 15));
  const b2 = sat(((d2 >> 15) === sgd ? step : -step) + ((b[2]! * 32640) >> 15));
  const b3 = sat(((d3 >> 15) === sgd ? step : -step) + ((b[3]! * 32640) >> 15));
  const b4 = sat(((d4 >> 15) === sgd ? step : -step) + ((b[4]! * 32640) >> 15));
  const b5 = sat(((d5 >> 15) === sgd ? step : -step) + ((b[5]! * 32640) >> 15));
  const b6 = sat(((d6 >> 15) === sgd ? step : -step) + ((b[6]! * 32640) >> 15));
  b[1] = b1;
  b[2] = b2;
  b[3] = b3;
  b[4] = b4;
  b[5] = b5;
  b[6] = b6;
  d[1] = dx;
  d[2] = d1;
  d[3] = d2;
  d[4] = d3;
  d[5] = d4;
  d[6] = d5;
  // DELAYL
  st.r2 = st.r1;
  st.r1 = r0;
  st.p2 = st.p1;
  st.p1 = p0;
  st.a1 = ap1;
  st.a2 = ap2;
  // FILTEP
  st.sp = sat(((ap1 * sat(r0 + r0)) >> 15) + ((ap2 * sat(st.r2 + st.r2)) >> 15));
  // FILTEZ (the shifted delay line: d(n-1) = dx ... d(n-6) = old d5)
  const sz =
    ((b6 * sat(d5 + d5)) >> 15) +
    ((b5 * sat(d4 + d4)) >> 15) +
    ((b4 * sat(d3 + d3)) >> 15) +
    ((b3 * sat(d2 + d2)) >> 15) +
    ((b2 * sat(d1 + d1)) >> 15) +
    ((b1 * sat(dx + dx)) >> 15);
  st.sz = sat(sz);
  // PREDIC
  st.s = sat(st.sp + st.sz);
}

/** Lower band encoder for one sample `xl`: returns the 6-bit code IL. */
export function encodeLower(st: SubBandState, xl: number): number {
  const el = sat(xl - st.s); // SUBTRA
  const wd = el >= 0 ? el : -(el + 1); // QUANTL magnitude
  const det = st.det;
  let mil = 1;
  while (mil < 30 && wd >= (Q6[mil]! * det) >> 12) mil++;
  const il = el < 0 ? ILN[mil]! : ILP[mil]!;
  const ril = il >> 2;
  const dlt = (det * QM4[ril]!) >> 15; // INVQAL
  adaptScale(st, WL[RL42[ril]!]!, 18432, 8);
  adaptPredictor(st, dlt);
  return il;
}

/** Lower band decoder (mode 1) for the 6-bit code `il`: returns the reconstructed rL. */
export function decodeLower(st: SubBandState, il: number): number {
  const det = st.det;
  const rl = limit15(sat(st.s + ((det * QM6[il]!) >> 15))); // INVQBL, RECONS, LIMIT
  const ril = il >> 2;
  const dlt = (det * QM4[ril]!) >> 15; // INVQAL: the predictor adapts on 4 bits
  adaptScale(st, WL[RL42[ril]!]!, 18432, 8);
  adaptPredictor(st, dlt);
  return rl;
}

/** Higher band encoder for one sample `xh`: returns the 2-bit code IH. */
export function encodeHigher(st: SubBandState, xh: number): number {
  const eh = sat(xh - st.s);
  const wd = eh >= 0 ? eh : -(eh + 1);
  const mih = wd >= (Q2 * st.det) >> 12 ? 2 : 1; // QUANTH
  const ih = eh < 0 ? IHN[mih]! : IHP[mih]!;
  const dh = (st.det * QM2[ih]!) >> 15; // INVQAH
  adaptScale(st, WH[RH2[ih]!]!, 22528, 10);
  adaptPredictor(st, dh);
  return ih;
}

/** Higher band decoder for the 2-bit code `ih`: returns the reconstructed rH. */
export function decodeHigher(st: SubBandState, ih: number): number {
  const dh = (st.det * QM2[ih]!) >> 15;
  const rh = limit15(sat(dh + st.s));
  adaptScale(st, WH[RH2[ih]!]!, 22528, 10);
  adaptPredictor(st, dh);
  return rh;
}
