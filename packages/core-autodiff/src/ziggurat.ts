import type { DataArray } from "./dtype.js";

// Standard normals by the ziggurat method (Marsaglia & Tsang 2000, 256 layers; layer and value from
// separate bits, as Doornik's ZIGNOR), counter-based so that sample i never depends on another
// sample's rejections: sample i's first attempt is word i of randomBits (word i & 1 of block
// (i >> 1, 0x3a11)); its rare further attempts use blocks (i, RETRY + a), its tail loop blocks
// (i, TAIL + t). Word w: layer j = w & 255, value s = 2·(w >> 8) + 1 (odd, |s| < 2²⁴, signed), and
// z = s·x_j·2⁻²⁴, accepted at once when |z| < x_{j+1} (98.5 % of draws: a lookup, a multiply, a compare).
// Only IEEE +, −, ×, ÷, √ in a fixed order, and our own ln and exp (no Math.log/exp, whose last bits
// differ between engines): the same seed gives the same bits everywhere. m + sd·z is computed in
// float64 and rounded once for float32.

/** Layer count, tail start r and layer area v (Marsaglia & Tsang's constants for 256 layers). */
export const ZIG_N = 256;
export const ZIG_R = 3.6541528853610088;
export const ZIG_V = 0.00492867323399;
/**
 * Layer edges x_0 … x_256: x_0 = v/f(r), x_1 = r, x_{k+1} = √(−2 ln(v/x_k + f(x_k))), x_256 = 0, with
 * f(x) = e^{−x²/2}. Literal doubles (so no engine's log/exp enters the bits); ziggurat.test.ts checks the recurrence.
 */
export const ZIG_X: readonly number[] = [
  3.91075795953709, 3.654152885361009, 3.4492782985609645, 3.320244733839166, 3.224575052047029, 3.14788928951715,
  3.083526132001233, 3.0278377917686354, 2.978603279880845, 2.9343668672078542, 2.894121053612348, 2.8571387308721325,
  2.822877396825325, 2.7909211740007858, 2.7609440052788226, 2.732685359042827, 2.705933656121858, 2.680514643284522,
  2.6562830375755024, 2.6331163936303246, 2.6109105184875485, 2.589575986706995, 2.5690354526805366, 2.5492215503234608,
  2.530075232158517, 2.5115444416253423, 2.4935830412696807, 2.4761499396691433, 2.4592083743333113, 2.4427253181989568,
  2.426670984935726, 2.4110184138996855, 2.3957431197804806, 2.380822795170626, 2.3662370567158186, 2.35196722737766,
  2.3379961487950314, 2.324308018869623, 2.31088825059985, 2.2977233489013296, 2.284800802722946, 2.272108990226824,
  2.259637095172218, 2.2473750329458078, 2.235313384928328, 2.2234433400909057, 2.2117566428825444, 2.200245546609648,
  2.1889027716247207, 2.1777214677386416, 2.166695180352646, 2.1558178198750633, 2.1450836340462036, 2.13448718284432,
  2.124023315687815, 2.1136871506849335, 2.1034740557131464, 2.09337963113705, 2.0833996939965513, 2.0735302635169783,
  2.063767547809956, 2.054107931648865, 2.044547965215733, 2.0350843537278087, 2.025713947862033, 2.0164337349043717,
  2.007240830558685, 1.9981324713565642, 1.9891060076155713, 1.9801588968985984, 1.9712886979317696, 1.962493064942462,
  1.953769742382734, 1.945116560006754, 1.936531428273759, 1.9280123340507183, 1.9195573365912288, 1.9111645637692822,
  1.9028322085484464, 1.89455852566871, 1.8863418285347764, 1.8781804862909774, 1.8700729210692364, 1.8620176053976318,
  1.8540130597581477, 1.846057850283119, 1.838150586580728, 1.830289919680666, 1.8224745400917826, 1.814703175964167,
  1.806974591348693, 1.7992875845475798, 1.7916409865500096, 1.7840336595472759, 1.7764644955223445, 1.7689324149090775,
  1.7614363653167062, 1.7539753203154547, 1.7465482782794923, 1.7391542612836683, 1.7317923140507065, 1.724461502945775,
  1.71716091501554, 1.7098896570690052, 1.702646854797613, 1.6954316519322379, 1.6882432094348578, 1.6810807047228224,
  1.6739433309237595, 1.6668302961592858, 1.6597408228557886, 1.6526741470806476, 1.6456295179023597, 1.6386061967731105,
  1.6316034569324216, 1.624620582830568, 1.617656869570534, 1.6107116223673337, 1.603784156023583, 1.5968737944202613,
  1.5899798700216485, 1.5831017233934714, 1.5762387027333329, 1.5693901634125345, 1.5625554675284397, 1.555733983466555,
  1.5489250854715355, 1.5421281532263473, 1.5353425714388427, 1.5285677294350242, 1.5218030207582929, 1.515047842773992,
  1.5083015962785713, 1.5015636851127059, 1.4948335157777177, 1.4881104970546537, 1.4813940396253753, 1.474683555695025,
  1.4679784586152307, 1.4612781625074078, 1.4545820818855233, 1.4478896312776697, 1.441200224845798, 1.4345132760029464,
  1.4278281970272904, 1.421144398672323, 1.4144612897724644, 1.407778276843371, 1.4010947636762021, 1.3944101509250708,
  1.3877238356868842, 1.3810352110727415, 1.37434366577003, 1.3676485835943175, 1.3609493430301014, 1.3542453167594302,
  1.3475358711773588, 1.3408203658931517, 1.3340981532160834, 1.3273685776246247, 1.32063097521773, 1.313884673146869,
  1.3071289890273539, 1.3003632303274337, 1.2935866937335176, 1.2867986644897864, 1.2799984157103332, 1.2731852076618437,
  1.2663582870146883, 1.2595168860601442, 1.2526602218912979, 1.245787495544998, 1.2388978911020274, 1.231990574742445,
  1.225064693752808, 1.2181193754817268, 1.2111537262399112, 1.2041668301405601, 1.197157747875586, 1.1901255154228016,
  1.1830691426787607, 1.1759876120114898, 1.1688798767268338, 1.1617448594415742, 1.1545814503558518, 1.1473885054167339,
  1.140164844363996, 1.1329092486483372, 1.1256204592112946, 1.118297174115063, 1.1109380460092495, 1.1035416794202682,
  1.0961066278476035, 1.0886313906495142, 1.0811144096988894, 1.0735540657878717, 1.0659486747575067, 1.0582964833260065,
  1.0505956645862071, 1.0428443131393705, 1.0350404398286053, 1.0271819660307513, 1.0192667174605292, 1.0112924174349784,
  1.0032566795395912, 0.995156999629943, 0.9869907470938462, 0.9787551552889376, 0.9704473110588644, 0.962064143217605,
  0.9536024098755724, 0.9450586844625709, 0.9364293402808966, 0.9277105333962347, 0.918898183643735, 0.909987953490769,
  0.9009752244551745, 0.8918550707267924, 0.8826222295789101, 0.8732710680824946, 0.8637955455468269, 0.8541891710015606,
  0.8444449549024237, 0.8345553540795188, 0.8245122087452889, 0.8143066701280646, 0.8039291169826651, 0.7933690588331529,
  0.782615023299589, 0.7716544242167395, 0.7604734064220834, 0.7490566620095818, 0.7373872114258389, 0.7254461409013037,
  0.7132122851820227, 0.7006618410975844, 0.6877678927862577, 0.6744998228274365, 0.660822574234206, 0.6466957148843889,
  0.6320722363750246, 0.6168969899962355, 0.6011046177439404, 0.5846167660937223, 0.567338257040473, 0.5491517023130268,
  0.5299097206464951, 0.5094233295859334, 0.48744396612175434, 0.46363433677176324, 0.43751840218666266, 0.40838913458800075,
  0.3751213328504657, 0.33573751918045946, 0.2861745917472605, 0.2152418959132738, 0,
];
/** Counter words (second block word) of the retry attempts a ≥ 1 (and attempt 0's wedge word) and of the tail loop. */
export const RETRY = 0x2a000000;
export const TAIL = 0x2b000000;

/** fdlibm's ln2 split (ln2_hi·k is exact for |k| < 2000) and its log polynomial (|error| < 2⁻⁵⁸·⁴⁵ on [0, 0.1716]). */
export const LOG_C = {
  ln2Hi: 6.93147180369123816490e-01, ln2Lo: 1.90821492927058770002e-10,
  lg1: 6.666666666666735130e-01, lg2: 3.999999999940941908e-01, lg3: 2.857142874366239149e-01, lg4: 2.222219843214978396e-01,
  lg5: 1.818357216161805012e-01, lg6: 1.531383769920937332e-01, lg7: 1.479819860511658591e-01,
} as const;
/** The reduction keeps the mantissa m of x in [√2/2, √2]. */
export const SQRT2 = Math.SQRT2;

// 2^−p for p = −1 … 31 (exact, by halving)
const INV_POW2 = new Float64Array(33);
for (let i = 0, v = 2; i < 33; i++, v /= 2) INV_POW2[i] = v;

const { ln2Hi, ln2Lo, lg1, lg2, lg3, lg4, lg5, lg6, lg7 } = LOG_C;

/**
 * ln x for x = (w + ½)·2⁻³² (w a uint32), fdlibm's method: x = 2^e·m with m in [√2/2, √2]
 * (found from w's leading bit: exact), f = m − 1, s = f/(2 + f), ln(1 + f) = f − (hfsq − s·(hfsq + R(s²))).
 */
export function logOfWord(w: number): number {
  const p = w === 0 ? -1 : 31 - Math.clz32(w);
  let m = (w + 0.5) * INV_POW2[p + 1]!, dk = p - 32;
  if (m > SQRT2) { m *= 0.5; dk += 1; }
  const f = m - 1, s = f / (2 + f), z = s * s, ww = z * z;
  const t1 = ww * (lg2 + ww * (lg4 + ww * lg6)), t2 = z * (lg1 + ww * (lg3 + ww * (lg5 + ww * lg7)));
  const R = t2 + t1, hfsq = 0.5 * f * f;
  return dk * ln2Hi - ((hfsq - (s * (hfsq + R) + dk * ln2Lo)) - f);
}

/** fdlibm's exp: ln2 split as LOG_C, P1…P5 its polynomial in r², 1/ln 2. */
export const EXP_C = {
  invLn2: 1.44269504088896338700e+00,
  p: [1.66666666666666019037e-01, -2.77777777770155933842e-03, 6.61375632143793436117e-05, -1.65339022054652515390e-06, 4.13813679705723846039e-08],
} as const;
const [P1, P2, P3, P4, P5] = EXP_C.p;

/**
 * e^x for x ≤ 0 (0 below −700; fdlibm's method: x = k·ln 2 + r, |r| ≤ ln2/2, e^r by its rational form,
 * times 2^k exactly); used by the wedge test and the tables.
 */
export function expNeg(x: number): number {
  if (x < -700) return 0;
  const k = Math.round(x * EXP_C.invLn2), hi = x - k * ln2Hi, lo = k * ln2Lo, r = hi - lo;
  const t = r * r, c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  const y = 1 - ((lo - (r * c) / (2 - c)) - hi);
  return y * POW2[-k]!;
}

// 2^−k for k = 0 … 1010 (exact, by halving; 2^−1010 is still normal)
const POW2 = new Float64Array(1011);
for (let i = 0, v = 1; i < POW2.length; i++, v /= 2) POW2[i] = v;

/** x_j·2⁻²⁴ (the value scale of layer j), x_{j+1} (its fast-accept bound) and f(x_j) = e^{−x_j²/2}. */
const W = new Float64Array(ZIG_N), XN = new Float64Array(ZIG_N), F = new Float64Array(ZIG_N + 1);
for (let j = 0; j <= ZIG_N; j++) {
  F[j] = expNeg(-0.5 * ZIG_X[j]! * ZIG_X[j]!);
  if (j < ZIG_N) { W[j] = ZIG_X[j]! * 5.9604644775390625e-8; XN[j] = ZIG_X[j + 1]!; }
}
/** (W[j], XN[j]) interleaved. */
export const ZIG_TABLE = new Float64Array(2 * ZIG_N);
for (let j = 0; j < ZIG_N; j++) { ZIG_TABLE[2 * j] = W[j]!; ZIG_TABLE[2 * j + 1] = XN[j]!; }

/**
 * The `normal` kernel's table: ZIG_TABLE, F[0…256], then the constants of ln and exp (the WASM
 * kernels read every constant from here, so they cannot drift from these).
 */
export const ZIG_KERNEL_TABLE = Float64Array.from([
  ...ZIG_TABLE, ...F, ln2Hi, ln2Lo, lg1, lg2, lg3, lg4, lg5, lg6, lg7, EXP_C.invLn2, P1!, P2!, P3!, P4!, P5!, SQRT2, ZIG_R,
]);

/** Writes Threefry block (c0, c1) of the caller's key into its buffer's two words. */
export type BlockFn = (c0: number, c1: number) => Uint32Array;

/**
 * The ziggurat's rare path for sample i after its first word fell outside the fast region of layer j
 * (with value z): the wedge test, further attempts and the tail, all on their own blocks.
 */
export function zigguratSlow(i: number, j: number, z: number, block: BlockFn): number {
  for (let a = 0; ; a++) {
    const b = block(i, RETRY + a);
    if (a > 0) {
      const w = b[0]! | 0;
      j = w & 255;
      z = ((w >> 7) | 1) * W[j]!;
      if (z < XN[j]! && z > -XN[j]!) return z;
    }
    if (j === 0) return zigguratTail(i, z < 0, block);
    // wedge of layer j: a uniform height between f(x_j) and f(x_{j+1}), accepted below the density
    const y = F[j]! + (b[1]! + 0.5) * 2.3283064365386963e-10 * (F[j + 1]! - F[j]!);
    if (y < expNeg(-0.5 * z * z)) return z;
  }
}

/** Marsaglia's tail beyond r: x = −ln(u₁)/r, y = −ln(u₂) until 2y > x², gives ±(r + x). */
function zigguratTail(i: number, negative: boolean, block: BlockFn): number {
  for (let t = 0; ; t++) {
    const b = block(i, TAIL + t);
    const x = -logOfWord(b[0]!) / ZIG_R, y = -logOfWord(b[1]!);
    if (2 * y > x * x) return negative ? -(ZIG_R + x) : ZIG_R + x;
  }
}

/** First-word value z of word w (int32) in its layer w & 255 (the WASM kernel computes the same). */
export function zigguratFirst(w: number): number {
  return ((w >> 7) | 1) * W[w & 255]!;
}

/**
 * `out` (float64 or float32) gets, for sample i with first word `words[i]` (int32 view of
 * randomBits' words) and standard normal z: m + sd·z when `g` is null (in float64, rounded once to
 * float32), else a·g[i] + sd·z with a = `m` as float ops of out's dtype would give it (float32:
 * a, sd and z rounded to float32 first). The rare rejections go to `zigguratSlow` with the caller's key.
 */
export function zigguratWords(words: Int32Array, out: DataArray, m: number, sd: number, g: DataArray | null, block: BlockFn): void {
  const n = out.length;
  const z = (i: number): number => {
    const w = words[i]!, j = w & 255, z = ((w >> 7) | 1) * W[j]!, x = XN[j]!;
    return z < x && z > -x ? z : zigguratSlow(i, j, z, block);
  };
  if (g === null) for (let i = 0; i < n; i++) out[i] = m + sd * z(i);
  else if (out instanceof Float32Array) {
    const f = Math.fround, a = f(m), s = f(sd);
    for (let i = 0; i < n; i++) out[i] = f(g[i]! * a) + f(f(z(i)) * s);
  } else for (let i = 0; i < n; i++) out[i] = m * g[i]! + sd * z(i);
}
