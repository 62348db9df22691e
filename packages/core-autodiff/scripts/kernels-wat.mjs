// Emits src/wasm/kernels.wat: the WebAssembly SIMD kernels of the "wasm" backend.
//
// The WAT is hand-written below; only the register-tiled micro-kernels and the elementwise loops
// are unrolled by small template helpers (a 4×8 f32x4 tile is 8 accumulators × 4 statements,
// error-prone to type out). `node scripts/build-wasm.mjs` writes the .wat, assembles it with wabt
// and commits the bytes as src/wasm/kernels-wasm.generated.ts; a test checks both are current.
//
// Memory: one exported memory; the JS side lays out [inputs | outputs | packed A | packed B | tile]
// per call and grows it as needed. Every pointer is a byte offset.

/** GEMM geometry of one element type: micro-tile MR×NR, element size, lane count. */
const CFG = JSON.parse(globalThis.process?.env?.KERNELS_WAT_CFG ?? "{}");
const TYPES = {
  f32: { MR: CFG.mr32 ?? 5, NR: CFG.nr32 ?? 8, size: 4, lanes: 4, splat: "v128.load32_splat", load: "f32.load", store: "f32.store", zero: "f32.const 0" },
  f64: { MR: CFG.mr64 ?? 5, NR: CFG.nr64 ?? 4, size: 8, lanes: 2, splat: "v128.load64_splat", load: "f64.load", store: "f64.store", zero: "f64.const 0" },
};

const ind = (s, n) => s.split("\n").map((l) => (l.length ? " ".repeat(n) + l : l)).join("\n");

/**
 * Micro-kernel: C[MR×nr] (row stride ldc bytes) (=|+=) A panel · B panel over kc, nr = NR or NR/2
 * (the narrow one takes the last columns of N ≡ 1…NR/2 mod NR without computing a full tile).
 * A row r at step k is read at ap + k·lak + r·size: a packed panel (lak = MR·size) or a transposed
 * A [K,M] in place (lak = M·size; its MR rows at step k are contiguous, so it needs no packing).
 */
function microKernel(t, nr) {
  const T = TYPES[t];
  const V = nr / T.lanes; // v128 per tile row
  const name = nr === T.NR ? `$kern_${t}` : `$kern${nr}_${t}`;
  const acc = [];
  for (let r = 0; r < T.MR; r++) for (let v = 0; v < V; v++) acc.push(`$c${r}${v}`);
  const locals = acc.map((a) => `(local ${a} v128)`).join(" ");
  const bl = Array.from({ length: V }, (_, v) => `(local $b${v} v128)`).join(" ");
  const loadC = [];
  for (let r = 0; r < T.MR; r++) {
    for (let v = 0; v < V; v++) loadC.push(`(local.set $c${r}${v} (v128.load offset=${v * 16} (local.get $cr)))`);
    if (r < T.MR - 1) loadC.push(`(local.set $cr (i32.add (local.get $cr) (local.get $ldc)))`);
  }
  const storeC = [];
  for (let r = 0; r < T.MR; r++) {
    for (let v = 0; v < V; v++) storeC.push(`(v128.store offset=${v * 16} (local.get $cr) (local.get $c${r}${v}))`);
    if (r < T.MR - 1) storeC.push(`(local.set $cr (i32.add (local.get $cr) (local.get $ldc)))`);
  }
  const body = [];
  for (let v = 0; v < V; v++) body.push(`(local.set $b${v} (v128.load offset=${v * 16} (local.get $bp)))`);
  for (let r = 0; r < T.MR; r++) {
    body.push(`(local.set $av (${T.splat} offset=${r * T.size} (local.get $ap)))`);
    for (let v = 0; v < V; v++) {
      body.push(`(local.set $c${r}${v} (${t}x${T.lanes}.add (local.get $c${r}${v}) (${t}x${T.lanes}.mul (local.get $av) (local.get $b${v}))))`);
    }
  }
  body.push(`(local.set $ap (i32.add (local.get $ap) (local.get $lak)))`);
  body.push(`(local.set $bp (i32.add (local.get $bp) (local.get $ldb)))`);
  return `
;; C tile (${T.MR}×${nr} ${t}) = (first ? 0 : C) + Σ_k a[k]·b[k], sequential in k (no FMA),
;; so a float64 tile is bit-identical to the scalar loop c += a·b of the TS reference.
(func ${name} (param $ap i32) (param $bp i32) (param $kc i32) (param $c i32) (param $ldc i32) (param $first i32) (param $ldb i32)
    (param $lak i32)
  ${locals}
  ${bl} (local $av v128) (local $cr i32)
  (local.set $cr (local.get $c))
  (if (i32.eqz (local.get $first)) (then
${ind(loadC.join("\n"), 4)}))
  (block $done (loop $k
    (br_if $done (i32.eqz (local.get $kc)))
${ind(body.join("\n"), 4)}
    (local.set $kc (i32.sub (local.get $kc) (i32.const 1)))
    (br $k)))
  (local.set $cr (local.get $c))
${ind(storeC.join("\n"), 2)})`;
}

/** Packing of op(A) rows and op(B) columns into MR-row / NR-column panels, k-major, zero-padded. */
/**
 * Panel copies for packing, n unrolled: gather (dst[k·n + r] = src[r·ld + k], n rows read along
 * k) and runs (dst[k·n + r] = src[k·ld + r], n contiguous elements per k); ld in bytes.
 */
function panelCopies(t, n) {
  const T = TYPES[t];
  const S = T.size;
  const rows = Array.from({ length: n - 1 }, (_, r) => r + 1);
  return `
(func $gather_${n}_${t} (param $src i32) (param $ld i32) (param $kc i32) (param $dst i32)
  ${rows.map((r) => `(local $p${r} i32)`).join(" ")}${t === "f32" ? " (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128) (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128)" : ""}
${ind(rows.map((r) => `(local.set $p${r} (i32.add (local.get ${r === 1 ? "$src" : `$p${r - 1}`}) (local.get $ld)))`).join("\n"), 2)}${t === "f32" ? gather4Steps(n) : ""}
  (block $d (loop $l
    (br_if $d (i32.eqz (local.get $kc)))
    (${T.store} offset=0 (local.get $dst) (${T.load} (local.get $src)))
${ind(rows.map((r) => `(${T.store} offset=${r * S} (local.get $dst) (${T.load} (local.get $p${r})))`).join("\n"), 4)}
    (local.set $src (i32.add (local.get $src) (i32.const ${S})))
${ind(rows.map((r) => `(local.set $p${r} (i32.add (local.get $p${r}) (i32.const ${S})))`).join("\n"), 4)}
    (local.set $dst (i32.add (local.get $dst) (i32.const ${n * S})))
    (local.set $kc (i32.sub (local.get $kc) (i32.const 1)))
    (br $l))))

(func $runs_${n}_${t} (param $src i32) (param $ld i32) (param $kc i32) (param $dst i32)
  (block $d (loop $l
    (br_if $d (i32.eqz (local.get $kc)))
${ind(Array.from({ length: n }, (_, r) => `(${T.store} offset=${r * S} (local.get $dst) (${T.load} offset=${r * S} (local.get $src)))`).join("\n"), 4)}
    (local.set $src (i32.add (local.get $src) (local.get $ld)))
    (local.set $dst (i32.add (local.get $dst) (i32.const ${n * S})))
    (local.set $kc (i32.sub (local.get $kc) (i32.const 1)))
    (br $l))))`;
}

/**
 * float32 gathers, 4 steps of k at a time: one v128 per row, 4×4 transposes by shuffles (rows
 * 4g…4g+3 at step k become one v128 at dst + (k·n + 4g)·4), a last row (n = 5) stored lane by
 * lane; the scalar loop after it takes the last kc mod 4 steps. Same values, fewer memory ops.
 */
function gather4Steps(n) {
  const p = (r) => (r === 0 ? "(local.get $src)" : `(local.get $p${r})`);
  const lanes = (a, b, c, d) => [a, b, c, d].flatMap((l) => [0, 1, 2, 3].map((x) => 4 * l + x)).join(" ");
  const body = [];
  for (let g = 0; g + 4 <= n; g += 4) {
    for (let i = 0; i < 4; i++) body.push(`(local.set $r${i} (v128.load ${p(g + i)}))`);
    const r = [0, 1, 2, 3].map((i) => `(local.get $r${i})`);
    body.push(`(local.set $t0 (i8x16.shuffle ${lanes(0, 4, 1, 5)} ${r[0]} ${r[1]}))`);
    body.push(`(local.set $t1 (i8x16.shuffle ${lanes(2, 6, 3, 7)} ${r[0]} ${r[1]}))`);
    body.push(`(local.set $t2 (i8x16.shuffle ${lanes(0, 4, 1, 5)} ${r[2]} ${r[3]}))`);
    body.push(`(local.set $t3 (i8x16.shuffle ${lanes(2, 6, 3, 7)} ${r[2]} ${r[3]}))`);
    const outs = [["$t0", "$t2", 0, 1, 4, 5], ["$t0", "$t2", 2, 3, 6, 7], ["$t1", "$t3", 0, 1, 4, 5], ["$t1", "$t3", 2, 3, 6, 7]];
    outs.forEach(([x, y, a, b, c, d], k) => body.push(`(v128.store offset=${(k * n + g) * 4} (local.get $dst) (i8x16.shuffle ${lanes(a, b, c, d)} (local.get ${x}) (local.get ${y})))`));
  }
  for (let r = n - (n % 4); r < n; r++) {
    body.push(`(local.set $t0 (v128.load ${p(r)}))`);
    for (let k = 0; k < 4; k++) body.push(`(v128.store32_lane offset=${(k * n + r) * 4} ${k} (local.get $dst) (local.get $t0))`);
  }
  const rows = Array.from({ length: n - 1 }, (_, r) => r + 1);
  return `
  (block $d4 (loop $l4
    (br_if $d4 (i32.lt_u (local.get $kc) (i32.const 4)))
${ind(body.join("\n"), 4)}
    (local.set $src (i32.add (local.get $src) (i32.const 16)))
${ind(rows.map((r) => `(local.set $p${r} (i32.add (local.get $p${r}) (i32.const 16)))`).join("\n"), 4)}
    (local.set $dst (i32.add (local.get $dst) (i32.const ${16 * n})))
    (local.set $kc (i32.sub (local.get $kc) (i32.const 4)))
    (br $l4)))`;
}

function packers(t) {
  const T = TYPES[t];
  const S = T.size;
  return `${panelCopies(t, T.MR)}
${T.NR !== T.MR ? panelCopies(t, T.NR) : ""}
;; dst[(p·kc + k)·MR + r] = op(A)[i0 + MR·p + r, k0 + k] (0 past row M); A is [M,K], or [K,M] when trans.
(func $pack_a_${t} (param $a i32) (param $M i32) (param $K i32) (param $trans i32)
    (param $i0 i32) (param $mc i32) (param $k0 i32) (param $kc i32) (param $dst i32)
  (local $p i32) (local $k i32) (local $r i32) (local $i i32) (local $src i32)
  (local.set $p (i32.const 0))
  (block $pd (loop $pl
    (br_if $pd (i32.ge_u (local.get $p) (local.get $mc)))
    (local.set $k (i32.const 0))
    ;; full panels: a row gather (A [M,K]) or a run of MR contiguous elements per k (A [K,M])
    (if (i32.le_u (i32.add (i32.add (local.get $i0) (local.get $p)) (i32.const ${T.MR})) (local.get $M))
      (then
        (if (local.get $trans)
          (then (call $runs_${T.MR}_${t}
            (i32.add (local.get $a) (i32.shl (i32.add (i32.mul (local.get $k0) (local.get $M)) (i32.add (local.get $i0) (local.get $p))) (i32.const ${Math.log2(S)})))
            (i32.shl (local.get $M) (i32.const ${Math.log2(S)})) (local.get $kc) (local.get $dst)))
          (else (call $gather_${T.MR}_${t}
            (i32.add (local.get $a) (i32.shl (i32.add (i32.mul (i32.add (local.get $i0) (local.get $p)) (local.get $K)) (local.get $k0)) (i32.const ${Math.log2(S)})))
            (i32.shl (local.get $K) (i32.const ${Math.log2(S)})) (local.get $kc) (local.get $dst))))
        (local.set $dst (i32.add (local.get $dst) (i32.mul (local.get $kc) (i32.const ${T.MR * S}))))
        (local.set $k (local.get $kc))))
    (block $kd (loop $kl
      (br_if $kd (i32.ge_u (local.get $k) (local.get $kc)))
      (local.set $r (i32.const 0))
      (block $rd (loop $rl
        (br_if $rd (i32.ge_u (local.get $r) (i32.const ${T.MR})))
        (local.set $i (i32.add (i32.add (local.get $i0) (local.get $p)) (local.get $r)))
        (if (i32.lt_u (local.get $i) (local.get $M))
          (then
            (local.set $src (select
              (i32.add (i32.mul (i32.add (local.get $k0) (local.get $k)) (local.get $M)) (local.get $i))
              (i32.add (i32.mul (local.get $i) (local.get $K)) (i32.add (local.get $k0) (local.get $k)))
              (local.get $trans)))
            (${T.store} (local.get $dst) (${T.load} (i32.add (local.get $a) (i32.shl (local.get $src) (i32.const ${Math.log2(S)}))))))
          (else (${T.store} (local.get $dst) (${T.zero}))))
        (local.set $dst (i32.add (local.get $dst) (i32.const ${S})))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rl)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $kl)))
    (local.set $p (i32.add (local.get $p) (i32.const ${T.MR})))
    (br $pl))))

;; dst[(q·kc + k)·NR + c] = op(B)[k0 + k, j0 + NR·q + c] (0 past column N); B is [K,N], or [N,K] when trans.
;; Full panels of an untransposed B are copied as ${T.NR / T.lanes} v128 per k.
(func $pack_b_${t} (param $b i32) (param $K i32) (param $N i32) (param $trans i32)
    (param $j0 i32) (param $nc i32) (param $k0 i32) (param $kc i32) (param $dst i32) (param $direct i32)
  (local $q i32) (local $k i32) (local $c i32) (local $j i32) (local $src i32)
  (local.set $q (i32.const 0))
  (block $qd (loop $ql
    (br_if $qd (i32.ge_u (local.get $q) (local.get $nc)))
    (local.set $k (i32.const 0))
    ;; full panels of a transposed B (B [N,K]): a row gather
    (if (i32.and (local.get $trans) (i32.le_u (i32.add (i32.add (local.get $j0) (local.get $q)) (i32.const ${T.NR})) (local.get $N)))
      (then
        (call $gather_${T.NR}_${t}
          (i32.add (local.get $b) (i32.shl (i32.add (i32.mul (i32.add (local.get $j0) (local.get $q)) (local.get $K)) (local.get $k0)) (i32.const ${Math.log2(S)})))
          (i32.shl (local.get $K) (i32.const ${Math.log2(S)})) (local.get $kc) (local.get $dst))
        (local.set $dst (i32.add (local.get $dst) (i32.mul (local.get $kc) (i32.const ${T.NR * S}))))
        (local.set $k (local.get $kc))))
    (block $kd (loop $kl
      (br_if $kd (i32.ge_u (local.get $k) (local.get $kc)))
      (local.set $j (i32.add (local.get $j0) (local.get $q)))
      (if (i32.and (i32.eqz (local.get $trans)) (i32.le_u (i32.add (local.get $j) (i32.const ${T.NR})) (local.get $N)))
        (then
          (if (i32.eqz (local.get $direct)) (then
            (local.set $src (i32.add (local.get $b) (i32.shl
              (i32.add (i32.mul (i32.add (local.get $k0) (local.get $k)) (local.get $N)) (local.get $j)) (i32.const ${Math.log2(S)}))))
${ind(Array.from({ length: T.NR / T.lanes }, (_, v) => `(v128.store offset=${v * 16} (local.get $dst) (v128.load offset=${v * 16} (local.get $src)))`).join("\n"), 12)}))
          (local.set $dst (i32.add (local.get $dst) (i32.const ${T.NR * S}))))
        (else
          (local.set $c (i32.const 0))
          (block $cd (loop $cl
            (br_if $cd (i32.ge_u (local.get $c) (i32.const ${T.NR})))
            (local.set $j (i32.add (i32.add (local.get $j0) (local.get $q)) (local.get $c)))
            (if (i32.lt_u (local.get $j) (local.get $N))
              (then
                (local.set $src (select
                  (i32.add (i32.mul (local.get $j) (local.get $K)) (i32.add (local.get $k0) (local.get $k)))
                  (i32.add (i32.mul (i32.add (local.get $k0) (local.get $k)) (local.get $N)) (local.get $j))
                  (local.get $trans)))
                (${T.store} (local.get $dst) (${T.load} (i32.add (local.get $b) (i32.shl (local.get $src) (i32.const ${Math.log2(S)}))))))
              (else (${T.store} (local.get $dst) (${T.zero}))))
            (local.set $dst (i32.add (local.get $dst) (i32.const ${S})))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $cl)))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $kl)))
    (local.set $q (i32.add (local.get $q) (i32.const ${T.NR})))
    (br $ql))))`;
}

/** Blocked GEMM driver (GotoBLAS loop order jc → pc → ic → jr → ir); edge tiles go through `tile`. */
function driver(t) {
  const T = TYPES[t];
  const S = T.size;
  const sh = Math.log2(S);
  return `
;; C[M,N] = op(A)·op(B), blocked by NC columns, KC depth and MC rows; C must not alias A or B.
(func (export "gemm_${t}") (param $a i32) (param $b i32) (param $c i32)
    (param $M i32) (param $N i32) (param $K i32) (param $ta i32) (param $tb i32)
    (param $pa i32) (param $pb i32) (param $tile i32) (param $KC i32) (param $MC i32) (param $NC i32) (param $direct i32)
  (local $jc i32) (local $bq i32) (local $ldb i32) (local $nc i32) (local $pc i32) (local $kc i32) (local $ic i32) (local $mc i32)
  (local $jr i32) (local $cols i32) (local $ir i32) (local $rows i32) (local $cp i32) (local $first i32)
  (local $r i32) (local $q i32) (local $mf i32) (local $ap i32) (local $ka i32)
  (local.set $jc (i32.const 0))
  (block $jcd (loop $jcl
    (br_if $jcd (i32.ge_u (local.get $jc) (local.get $N)))
    (local.set $nc (select (local.get $NC) (i32.sub (local.get $N) (local.get $jc))
      (i32.lt_u (local.get $NC) (i32.sub (local.get $N) (local.get $jc)))))
    (local.set $pc (i32.const 0))
    (block $pcd (loop $pcl
      (br_if $pcd (i32.ge_u (local.get $pc) (local.get $K)))
      (local.set $kc (select (local.get $KC) (i32.sub (local.get $K) (local.get $pc))
        (i32.lt_u (local.get $KC) (i32.sub (local.get $K) (local.get $pc)))))
      (local.set $first (i32.eqz (local.get $pc)))
      (call $pack_b_${t} (local.get $b) (local.get $K) (local.get $N) (local.get $tb)
        (local.get $jc) (local.get $nc) (local.get $pc) (local.get $kc) (local.get $pb) (local.get $direct))
      (local.set $ic (i32.const 0))
      (block $icd (loop $icl
        (br_if $icd (i32.ge_u (local.get $ic) (local.get $M)))
        (local.set $mc (select (local.get $MC) (i32.sub (local.get $M) (local.get $ic))
          (i32.lt_u (local.get $MC) (i32.sub (local.get $M) (local.get $ic)))))
        ;; a transposed A's full row panels are read in place (only a last partial one is packed,
        ;; its rows zero-padded); an untransposed A is packed (reading its rows in place, MR
        ;; strided streams, made the micro-kernel slower than the packing costs)
        (local.set $mf (select (i32.sub (local.get $mc) (i32.rem_u (local.get $mc) (i32.const ${T.MR}))) (i32.const 0) (local.get $ta)))
        (if (i32.lt_u (local.get $mf) (local.get $mc)) (then
          (call $pack_a_${t} (local.get $a) (local.get $M) (local.get $K) (local.get $ta)
            (i32.add (local.get $ic) (local.get $mf)) (i32.sub (local.get $mc) (local.get $mf)) (local.get $pc) (local.get $kc) (local.get $pa))))
        (local.set $jr (i32.const 0))
        (block $jrd (loop $jrl
          (br_if $jrd (i32.ge_u (local.get $jr) (local.get $nc)))
          (local.set $cols (select (i32.const ${T.NR}) (i32.sub (local.get $nc) (local.get $jr))
            (i32.lt_u (i32.const ${T.NR}) (i32.sub (local.get $nc) (local.get $jr)))))
          ;; B micro-panel: in place (row stride N) for full panels of a direct B, else packed (stride NR)
          (if (i32.and (local.get $direct) (i32.eq (local.get $cols) (i32.const ${T.NR})))
            (then
              (local.set $bq (i32.add (local.get $b) (i32.shl
                (i32.add (i32.mul (local.get $pc) (local.get $N)) (i32.add (local.get $jc) (local.get $jr))) (i32.const ${sh}))))
              (local.set $ldb (i32.shl (local.get $N) (i32.const ${sh}))))
            (else
              (local.set $bq (i32.add (local.get $pb) (i32.shl (i32.mul (local.get $jr) (local.get $kc)) (i32.const ${sh}))))
              (local.set $ldb (i32.const ${T.NR * S}))))
          (local.set $ir (i32.const 0))
          (block $ird (loop $irl
            (br_if $ird (i32.ge_u (local.get $ir) (local.get $mc)))
            (local.set $rows (select (i32.const ${T.MR}) (i32.sub (local.get $mc) (local.get $ir))
              (i32.lt_u (i32.const ${T.MR}) (i32.sub (local.get $mc) (local.get $ir)))))
            (local.set $cp (i32.add (local.get $c) (i32.shl
              (i32.add (i32.mul (i32.add (local.get $ic) (local.get $ir)) (local.get $N)) (i32.add (local.get $jc) (local.get $jr)))
              (i32.const ${sh}))))
            ;; the A panel: a transposed A in place (A[pc, ic + ir], step M per k), or packed
            (if (i32.and (local.get $ta) (i32.eq (local.get $rows) (i32.const ${T.MR})))
              (then
                (local.set $ap (i32.add (local.get $a) (i32.shl
                  (i32.add (i32.mul (local.get $pc) (local.get $M)) (i32.add (local.get $ic) (local.get $ir))) (i32.const ${sh}))))
                (local.set $ka (i32.shl (local.get $M) (i32.const ${sh}))))
              (else
                (local.set $ap (i32.add (local.get $pa) (i32.shl (i32.mul (i32.sub (local.get $ir) (local.get $mf)) (local.get $kc)) (i32.const ${sh}))))
                (local.set $ka (i32.const ${T.MR * S}))))
            (if (i32.and (i32.eq (local.get $rows) (i32.const ${T.MR})) (i32.or (i32.eq (local.get $cols) (i32.const ${T.NR})) (i32.eq (local.get $cols) (i32.const ${T.NR / 2}))))
              (then
                (if (i32.eq (local.get $cols) (i32.const ${T.NR}))
                  (then (call $kern_${t} (local.get $ap) (local.get $bq) (local.get $kc) (local.get $cp) (i32.shl (local.get $N) (i32.const ${sh})) (local.get $first) (local.get $ldb) (local.get $ka)))
                  (else (call $kern${T.NR / 2}_${t} (local.get $ap) (local.get $bq) (local.get $kc) (local.get $cp) (i32.shl (local.get $N) (i32.const ${sh})) (local.get $first) (local.get $ldb) (local.get $ka)))))
              (else
                ;; partial tile: C ⇄ a full ${T.MR}×${T.NR} scratch tile
                (if (i32.eqz (local.get $first)) (then
                  (local.set $r (i32.const 0))
                  (block $rd (loop $rl
                    (br_if $rd (i32.ge_u (local.get $r) (local.get $rows)))
                    (local.set $q (i32.const 0))
                    (block $qd (loop $ql
                      (br_if $qd (i32.ge_u (local.get $q) (local.get $cols)))
                      (${T.store} (i32.add (local.get $tile) (i32.shl (i32.add (i32.mul (local.get $r) (i32.const ${T.NR})) (local.get $q)) (i32.const ${sh})))
                        (${T.load} (i32.add (local.get $cp) (i32.shl (i32.add (i32.mul (local.get $r) (local.get $N)) (local.get $q)) (i32.const ${sh})))))
                      (local.set $q (i32.add (local.get $q) (i32.const 1)))
                      (br $ql)))
                    (local.set $r (i32.add (local.get $r) (i32.const 1)))
                    (br $rl)))))
                (if (i32.le_u (local.get $cols) (i32.const ${T.NR / 2}))
                  (then (call $kern${T.NR / 2}_${t} (local.get $ap) (local.get $bq) (local.get $kc) (local.get $tile) (i32.const ${T.NR * S}) (local.get $first) (local.get $ldb) (local.get $ka)))
                  (else (call $kern_${t} (local.get $ap) (local.get $bq) (local.get $kc) (local.get $tile) (i32.const ${T.NR * S}) (local.get $first) (local.get $ldb) (local.get $ka))))
                (local.set $r (i32.const 0))
                (block $rd2 (loop $rl2
                  (br_if $rd2 (i32.ge_u (local.get $r) (local.get $rows)))
                  (local.set $q (i32.const 0))
                  (block $qd2 (loop $ql2
                    (br_if $qd2 (i32.ge_u (local.get $q) (local.get $cols)))
                    (${T.store} (i32.add (local.get $cp) (i32.shl (i32.add (i32.mul (local.get $r) (local.get $N)) (local.get $q)) (i32.const ${sh})))
                      (${T.load} (i32.add (local.get $tile) (i32.shl (i32.add (i32.mul (local.get $r) (i32.const ${T.NR})) (local.get $q)) (i32.const ${sh})))))
                    (local.set $q (i32.add (local.get $q) (i32.const 1)))
                    (br $ql2)))
                  (local.set $r (i32.add (local.get $r) (i32.const 1)))
                  (br $rl2)))))
            (local.set $ir (i32.add (local.get $ir) (i32.const ${T.MR})))
            (br $irl)))
          (local.set $jr (i32.add (local.get $jr) (i32.const ${T.NR})))
          (br $jrl)))
        (local.set $ic (i32.add (local.get $ic) (local.get $MC)))
        (br $icl)))
      (local.set $pc (i32.add (local.get $pc) (local.get $KC)))
      (br $pcl)))
    (local.set $jc (i32.add (local.get $jc) (local.get $NC)))
    (br $jcl))))`;
}

/** The whole module text. */
export function kernelsWat() {
  return `;; GENERATED by scripts/kernels-wat.mjs — edit that file, then run \`node scripts/build-wasm.mjs\`.
;; WebAssembly SIMD kernels of @regularize/core-autodiff's "wasm" backend.
(module
  (memory (export "memory") 1)
  (global (export "mr_f32") i32 (i32.const ${TYPES.f32.MR}))
  (global (export "nr_f32") i32 (i32.const ${TYPES.f32.NR}))
  (global (export "mr_f64") i32 (i32.const ${TYPES.f64.MR}))
  (global (export "nr_f64") i32 (i32.const ${TYPES.f64.NR}))
  (global $tw0 (mut i32) (i32.const 0))
  (global $tw1 (mut i32) (i32.const 0))
${ind([microKernel("f32", TYPES.f32.NR), microKernel("f32", TYPES.f32.NR / 2), packers("f32"), driver("f32"), microKernel("f64", TYPES.f64.NR), microKernel("f64", TYPES.f64.NR / 2), packers("f64"), driver("f64"), elementwiseWat(), biasActWat(), windowWat(), adamWat(), sumWat(), threefryWat(), normalWat()].join("\n"), 2)}
)
`;
}

// ---------------------------------------------------------------------------------------------
// Elementwise kernels. Only ops whose SIMD form is bit-identical to the TS reference in both
// dtypes: IEEE +, −, ×, ÷, √ (a float32 op computed in float64 and rounded once equals the float32
// op), sign-bit ops, and selects that keep the reference's NaN / signed-zero choices.

const BIN_OPS = {
  add: (t, a, b) => `(${t}.add ${a} ${b})`,
  sub: (t, a, b) => `(${t}.sub ${a} ${b})`,
  mul: (t, a, b) => `(${t}.mul ${a} ${b})`,
  div: (t, a, b) => `(${t}.div ${a} ${b})`,
  // u >= v || u != u ? u : v   (ties and NaN in u keep u, as the reference)
  maximum: (t, a, b) => `(v128.bitselect ${a} ${b} (v128.or (${t}.ge ${a} ${b}) (${t}.ne ${a} ${a})))`,
  minimum: (t, a, b) => `(v128.bitselect ${a} ${b} (v128.or (${t}.le ${a} ${b}) (${t}.ne ${a} ${a})))`,
};
const SCALAR_BIN = {
  add: (t, a, b) => `(${t}.add ${a} ${b})`,
  sub: (t, a, b) => `(${t}.sub ${a} ${b})`,
  mul: (t, a, b) => `(${t}.mul ${a} ${b})`,
  div: (t, a, b) => `(${t}.div ${a} ${b})`,
  maximum: (t, a, b) => `(select ${a} ${b} (i32.or (${t}.ge ${a} ${b}) (${t}.ne ${a} ${a})))`,
  minimum: (t, a, b) => `(select ${a} ${b} (i32.or (${t}.le ${a} ${b}) (${t}.ne ${a} ${a})))`,
};

/**
 * out[r·m + j] = A (op) B over rows r < R, j < m, where A is a[r·ra + j] (or the scalar a[r·ra]
 * when ca = 0) and likewise B: covers equal shapes, a scalar on either side, a bias row [m]
 * broadcast over rows and a column [R, 1] broadcast along rows. ra/rb are element strides.
 */
function binaryKernel(t, op) {
  const T = TYPES[t];
  const S = T.size, sh = Math.log2(S), L = T.lanes, V = `${t}x${L}`;
  const splat = `${V}.splat`;
  const inner = (ca, cb) => {
    const va = ca ? `(v128.load (i32.add (local.get $pa) (local.get $j)))` : `(local.get $sa)`;
    const vb = cb ? `(v128.load (i32.add (local.get $pb) (local.get $j)))` : `(local.get $sb)`;
    const xa = ca ? `(${T.load} (i32.add (local.get $pa) (local.get $j)))` : `(local.get $xa)`;
    const xb = cb ? `(${T.load} (i32.add (local.get $pb) (local.get $j)))` : `(local.get $xb)`;
    return `(local.set $j (i32.const 0))
(block $vd (loop $vl
  (br_if $vd (i32.gt_u (i32.add (local.get $j) (i32.const 16)) (local.get $mb)))
  (v128.store (i32.add (local.get $po) (local.get $j)) ${BIN_OPS[op](V, va, vb)})
  (local.set $j (i32.add (local.get $j) (i32.const 16)))
  (br $vl)))
(block $sd (loop $sl
  (br_if $sd (i32.ge_u (local.get $j) (local.get $mb)))
  (${T.store} (i32.add (local.get $po) (local.get $j)) ${SCALAR_BIN[op](t, xa, xb)})
  (local.set $j (i32.add (local.get $j) (i32.const ${S})))
  (br $sl)))`;
  };
  return `
(func (export "${op}_${t}") (param $a i32) (param $ra i32) (param $ca i32) (param $b i32) (param $rb i32) (param $cb i32)
    (param $out i32) (param $R i32) (param $m i32)
  (local $r i32) (local $j i32) (local $mb i32) (local $pa i32) (local $pb i32) (local $po i32)
  (local $xa ${t}) (local $xb ${t}) (local $sa v128) (local $sb v128)
  (local.set $mb (i32.shl (local.get $m) (i32.const ${sh})))
  (local.set $pa (local.get $a)) (local.set $pb (local.get $b)) (local.set $po (local.get $out))
  (block $rd (loop $rl
    (br_if $rd (i32.ge_u (local.get $r) (local.get $R)))
    (local.set $xa (${T.load} (local.get $pa))) (local.set $sa (${splat} (local.get $xa)))
    (local.set $xb (${T.load} (local.get $pb))) (local.set $sb (${splat} (local.get $xb)))
    (if (i32.and (local.get $ca) (local.get $cb)) (then
${ind(inner(1, 1), 6)})
    (else (if (local.get $ca) (then
${ind(inner(1, 0), 6)})
    (else
${ind(inner(0, 1), 6)}))))
    (local.set $pa (i32.add (local.get $pa) (i32.shl (local.get $ra) (i32.const ${sh}))))
    (local.set $pb (i32.add (local.get $pb) (i32.shl (local.get $rb) (i32.const ${sh}))))
    (local.set $po (i32.add (local.get $po) (local.get $mb)))
    (local.set $r (i32.add (local.get $r) (i32.const 1)))
    (br $rl))))`;
}

const UN_OPS = {
  neg: (t) => [`(${t}.neg (local.get $v))`, `(${t.split("x")[0]}.neg (local.get $x))`],
  abs: (t) => [`(${t}.abs (local.get $v))`, `(${t.split("x")[0]}.abs (local.get $x))`],
  sqrt: (t) => [`(${t}.sqrt (local.get $v))`, `(${t.split("x")[0]}.sqrt (local.get $x))`],
  square: (t) => [`(${t}.mul (local.get $v) (local.get $v))`, `(${t.split("x")[0]}.mul (local.get $x) (local.get $x))`],
  // v > 0 || v ≠ v ? v : 0 (NaN stays NaN, −0 gives +0, as the reference)
  relu: (t) => [`(v128.and (local.get $v) (v128.or (${t}.gt (local.get $v) (local.get $zero)) (${t}.ne (local.get $v) (local.get $v))))`,
    `(select (local.get $x) (${t.split("x")[0]}.const 0) (i32.or (${t.split("x")[0]}.gt (local.get $x) (${t.split("x")[0]}.const 0)) (${t.split("x")[0]}.ne (local.get $x) (local.get $x))))`],
  step: (t) => [`(v128.and (local.get $one) (${t}.gt (local.get $v) (local.get $zero)))`,
    `(select (${t.split("x")[0]}.const 1) (${t.split("x")[0]}.const 0) (${t.split("x")[0]}.gt (local.get $x) (${t.split("x")[0]}.const 0)))`],
  // v > 0 ? v : param·v
  leakyRelu: (t) => [`(v128.bitselect (local.get $v) (${t}.mul (local.get $pv) (local.get $v)) (${t}.gt (local.get $v) (local.get $zero)))`,
    `(select (local.get $x) (${t.split("x")[0]}.mul (local.get $p) (local.get $x)) (${t.split("x")[0]}.gt (local.get $x) (${t.split("x")[0]}.const 0)))`],
};

function unaryKernel(t, op) {
  const T = TYPES[t];
  const S = T.size, sh = Math.log2(S), V = `${t}x${T.lanes}`;
  const [vec, sc] = UN_OPS[op](V);
  return `
(func (export "${op}_${t}") (param $x i32) (param $out i32) (param $n i32) (param $p ${t})
  (local $j i32) (local $nb i32) (local $v v128) (local $x1 ${t}) (local $zero v128) (local $one v128) (local $pv v128)
  (local.set $one (${V}.splat (${t}.const 1)))
  (local.set $pv (${V}.splat (local.get $p)))
  (local.set $nb (i32.shl (local.get $n) (i32.const ${sh})))
  (block $vd (loop $vl
    (br_if $vd (i32.gt_u (i32.add (local.get $j) (i32.const 16)) (local.get $nb)))
    (local.set $v (v128.load (i32.add (local.get $x) (local.get $j))))
    (v128.store (i32.add (local.get $out) (local.get $j)) ${vec})
    (local.set $j (i32.add (local.get $j) (i32.const 16)))
    (br $vl)))
  (block $sd (loop $sl
    (br_if $sd (i32.ge_u (local.get $j) (local.get $nb)))
    (local.set $x1 (${T.load} (i32.add (local.get $x) (local.get $j))))
    (${T.store} (i32.add (local.get $out) (local.get $j)) ${sc.replaceAll("(local.get $x)", "(local.get $x1)")})
    (local.set $j (i32.add (local.get $j) (i32.const ${S})))
    (br $sl))))`;
}

/** out[j] = Σ_r x[r·m + j] (sequential in r per column, as the reference's row-accumulating loop). */
function colSum(t) {
  const T = TYPES[t];
  const S = T.size, sh = Math.log2(S), V = `${t}x${T.lanes}`;
  return `
(func (export "colsum_${t}") (param $x i32) (param $out i32) (param $R i32) (param $m i32)
  (local $r i32) (local $j i32) (local $mb i32) (local $px i32)
  (local.set $mb (i32.shl (local.get $m) (i32.const ${sh})))
  (memory.fill (local.get $out) (i32.const 0) (local.get $mb))
  (local.set $px (local.get $x))
  (block $rd (loop $rl
    (br_if $rd (i32.ge_u (local.get $r) (local.get $R)))
    (local.set $j (i32.const 0))
    (block $vd (loop $vl
      (br_if $vd (i32.gt_u (i32.add (local.get $j) (i32.const 16)) (local.get $mb)))
      (v128.store (i32.add (local.get $out) (local.get $j))
        (${V}.add (v128.load (i32.add (local.get $out) (local.get $j))) (v128.load (i32.add (local.get $px) (local.get $j)))))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br $vl)))
    (block $sd (loop $sl
      (br_if $sd (i32.ge_u (local.get $j) (local.get $mb)))
      (${T.store} (i32.add (local.get $out) (local.get $j))
        (${t}.add (${T.load} (i32.add (local.get $out) (local.get $j))) (${T.load} (i32.add (local.get $px) (local.get $j)))))
      (local.set $j (i32.add (local.get $j) (i32.const ${S})))
      (br $sl)))
    (local.set $px (i32.add (local.get $px) (local.get $mb)))
    (local.set $r (i32.add (local.get $r) (i32.const 1)))
    (br $rl))))`;
}

/** The elementwise and reduction kernels, both dtypes. */
export function elementwiseWat() {
  const parts = [];
  for (const t of ["f32", "f64"]) {
    for (const op of Object.keys(BIN_OPS)) parts.push(binaryKernel(t, op));
    for (const op of Object.keys(UN_OPS)) parts.push(unaryKernel(t, op));
    parts.push(colSum(t));
  }
  return parts.join("\n");
}

/** c[r·m + j] = act(c[r·m + j] + b[j]) in place (act: 0 none, 1 relu as the reference's v > 0 || v ≠ v ? v : 0). */
export function biasActWat() {
  const parts = [];
  for (const t of ["f32", "f64"]) {
    const T = TYPES[t];
    const S = T.size, sh = Math.log2(S), V = `${t}x${T.lanes}`;
    parts.push(`
(func (export "bias_act_${t}") (param $c i32) (param $R i32) (param $m i32) (param $b i32) (param $hasBias i32) (param $relu i32)
  (local $r i32) (local $j i32) (local $mb i32) (local $pc i32) (local $v v128) (local $x ${t}) (local $zero v128)
  (local.set $mb (i32.shl (local.get $m) (i32.const ${sh})))
  (local.set $pc (local.get $c))
  (block $rd (loop $rl
    (br_if $rd (i32.ge_u (local.get $r) (local.get $R)))
    (local.set $j (i32.const 0))
    (block $vd (loop $vl
      (br_if $vd (i32.gt_u (i32.add (local.get $j) (i32.const 16)) (local.get $mb)))
      (local.set $v (v128.load (i32.add (local.get $pc) (local.get $j))))
      (if (local.get $hasBias) (then (local.set $v (${V}.add (local.get $v) (v128.load (i32.add (local.get $b) (local.get $j)))))))
      (if (local.get $relu) (then (local.set $v (v128.and (local.get $v) (v128.or (${V}.gt (local.get $v) (local.get $zero)) (${V}.ne (local.get $v) (local.get $v)))))))
      (v128.store (i32.add (local.get $pc) (local.get $j)) (local.get $v))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br $vl)))
    (block $sd (loop $sl
      (br_if $sd (i32.ge_u (local.get $j) (local.get $mb)))
      (local.set $x (${T.load} (i32.add (local.get $pc) (local.get $j))))
      (if (local.get $hasBias) (then (local.set $x (${t}.add (local.get $x) (${T.load} (i32.add (local.get $b) (local.get $j)))))))
      (if (local.get $relu) (then (local.set $x (select (local.get $x) (${t}.const 0) (i32.or (${t}.gt (local.get $x) (${t}.const 0)) (${t}.ne (local.get $x) (local.get $x)))))))
      (${T.store} (i32.add (local.get $pc) (local.get $j)) (local.get $x))
      (local.set $j (i32.add (local.get $j) (i32.const ${S})))
      (br $sl)))
    (local.set $pc (i32.add (local.get $pc) (local.get $mb)))
    (local.set $r (i32.add (local.get $r) (i32.const 1)))
    (br $rl))))`);
  }
  return parts.join("\n");
}

/**
 * conv1d's im2col and its transpose, as the reference loops (a copy and an in-order accumulation,
 * so bit-identical): x [N, C, L] ⇄ windows [N, Lo, C, K], position p = t·stride − padding + k·dilation.
 */
export function windowWat() {
  const parts = [];
  for (const t of ["f32", "f64"]) {
    const T = TYPES[t];
    const S = T.size, sh = Math.log2(S);
    const loops = (body) => `
  (local.set $n (i32.const 0))
  (block $nd (loop $nl
    (br_if $nd (i32.ge_u (local.get $n) (local.get $N)))
    (local.set $t (i32.const 0))
    (block $td (loop $tl
      (br_if $td (i32.ge_u (local.get $t) (local.get $Lo)))
      (local.set $start (i32.sub (i32.mul (local.get $t) (local.get $stride)) (local.get $padding)))
      (local.set $c (i32.const 0))
      (block $cd (loop $cl
        (br_if $cd (i32.ge_u (local.get $c) (local.get $C)))
        (local.set $xb (i32.add (local.get $x) (i32.shl (i32.mul (i32.add (i32.mul (local.get $n) (local.get $C)) (local.get $c)) (local.get $L)) (i32.const ${sh}))))
        (local.set $p (local.get $start))
        (local.set $k (i32.const 0))
        (block $kd (loop $kl
          (br_if $kd (i32.ge_u (local.get $k) (local.get $K)))
${ind(body, 10)}
          (local.set $o (i32.add (local.get $o) (i32.const ${S})))
          (local.set $p (i32.add (local.get $p) (local.get $dilation)))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $kl)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $cl)))
      (local.set $t (i32.add (local.get $t) (i32.const 1)))
      (br $tl)))
    (local.set $n (i32.add (local.get $n) (i32.const 1)))
    (br $nl)))`;
    const locals = `(local $n i32) (local $t i32) (local $c i32) (local $k i32) (local $p i32) (local $start i32) (local $xb i32)`;
    const inside = `(i32.and (i32.ge_s (local.get $p) (i32.const 0)) (i32.lt_s (local.get $p) (local.get $L)))`;
    const at = `(i32.add (local.get $xb) (i32.shl (local.get $p) (i32.const ${sh})))`;
    parts.push(`
(func (export "unfold_${t}") (param $x i32) (param $N i32) (param $C i32) (param $L i32) (param $K i32) (param $stride i32)
    (param $padding i32) (param $dilation i32) (param $Lo i32) (param $o i32) (param $pad ${t})
  ${locals}${loops(`(${T.store} (local.get $o) (if (result ${t}) ${inside} (then (${T.load} ${at})) (else (local.get $pad))))`)})

(func (export "fold_${t}") (param $o i32) (param $N i32) (param $C i32) (param $L i32) (param $K i32) (param $stride i32)
    (param $padding i32) (param $dilation i32) (param $Lo i32) (param $x i32)
  ${locals}${loops(`(if ${inside} (then (${T.store} ${at} (${t}.add (${T.load} ${at}) (${T.load} (local.get $o))))))`)})`);
  }
  return parts.join("\n");
}

// ---------------------------------------------------------------------------------------------
// Adam's fused step (core-autodiff's adamStep): m′ = β₁m + (1−β₁)g, v′ = β₂v + (1−β₂)g²,
// u = (m′/c₁) / (√(v′/c₂ + ε_root) + ε), with the reference's evaluation order and no FMA, so
// float64 matches its loop bit for bit and float32 matches its Math.fround-per-op loop (each f32
// op equals the f64 op rounded once). c₁ and c₂ are read from memory (f64): a jit replay takes
// them from its runtime inputs (the step count).

export function adamWat() {
  const parts = [];
  for (const t of ["f32", "f64"]) {
    const T = TYPES[t];
    const S = T.size, sh = Math.log2(S), V = `${t}x${T.lanes}`;
    const cload = (p) => (t === "f32" ? `(f32.demote_f64 (f64.load ${p}))` : `(f64.load ${p})`);
    const v = (op, a, b) => `(${V}.${op} ${a} ${b})`;
    const sc = (op, a, b) => `(${t}.${op} ${a} ${b})`;
    const L = (n) => `(local.get $${n})`;
    parts.push(`
(func (export "adam_${t}") (param $m i32) (param $v i32) (param $g i32) (param $mo i32) (param $vo i32) (param $uo i32)
  (param $pc1 i32) (param $pc2 i32) (param $n i32)
  (param $b1 ${t}) (param $ob1 ${t}) (param $b2 ${t}) (param $ob2 ${t}) (param $eps ${t}) (param $er ${t})
  (local $j i32) (local $nb i32) (local $c1 ${t}) (local $c2 ${t})
  (local $vb1 v128) (local $vob1 v128) (local $vb2 v128) (local $vob2 v128) (local $ve v128) (local $ver v128) (local $vc1 v128) (local $vc2 v128)
  (local $gv v128) (local $mv v128) (local $nv v128)
  (local $gs ${t}) (local $ms ${t}) (local $ns ${t})
  (local.set $c1 ${cload("(local.get $pc1)")})
  (local.set $c2 ${cload("(local.get $pc2)")})
  (local.set $vb1 (${V}.splat ${L("b1")})) (local.set $vob1 (${V}.splat ${L("ob1")}))
  (local.set $vb2 (${V}.splat ${L("b2")})) (local.set $vob2 (${V}.splat ${L("ob2")}))
  (local.set $ve (${V}.splat ${L("eps")})) (local.set $ver (${V}.splat ${L("er")}))
  (local.set $vc1 (${V}.splat ${L("c1")})) (local.set $vc2 (${V}.splat ${L("c2")}))
  (local.set $nb (i32.shl (local.get $n) (i32.const ${sh})))
  (block $vd (loop $vl
    (br_if $vd (i32.gt_u (i32.add (local.get $j) (i32.const 16)) (local.get $nb)))
    (local.set $gv (v128.load (i32.add (local.get $g) (local.get $j))))
    (local.set $mv ${v("add", v("mul", "(v128.load (i32.add (local.get $m) (local.get $j)))", L("vb1")), v("mul", L("gv"), L("vob1")))})
    (local.set $nv ${v("add", v("mul", "(v128.load (i32.add (local.get $v) (local.get $j)))", L("vb2")), v("mul", v("mul", L("gv"), L("gv")), L("vob2")))})
    (v128.store (i32.add (local.get $mo) (local.get $j)) (local.get $mv))
    (v128.store (i32.add (local.get $vo) (local.get $j)) (local.get $nv))
    (v128.store (i32.add (local.get $uo) (local.get $j))
      ${v("div", v("div", L("mv"), L("vc1")), v("add", `(${V}.sqrt ${v("add", v("div", L("nv"), L("vc2")), L("ver"))})`, L("ve")))})
    (local.set $j (i32.add (local.get $j) (i32.const 16)))
    (br $vl)))
  (block $sd (loop $sl
    (br_if $sd (i32.ge_u (local.get $j) (local.get $nb)))
    (local.set $gs (${T.load} (i32.add (local.get $g) (local.get $j))))
    (local.set $ms ${sc("add", sc("mul", `(${T.load} (i32.add (local.get $m) (local.get $j)))`, L("b1")), sc("mul", L("gs"), L("ob1")))})
    (local.set $ns ${sc("add", sc("mul", `(${T.load} (i32.add (local.get $v) (local.get $j)))`, L("b2")), sc("mul", sc("mul", L("gs"), L("gs")), L("ob2")))})
    (${T.store} (i32.add (local.get $mo) (local.get $j)) (local.get $ms))
    (${T.store} (i32.add (local.get $vo) (local.get $j)) (local.get $ns))
    (${T.store} (i32.add (local.get $uo) (local.get $j))
      ${sc("div", sc("div", L("ms"), L("c1")), sc("add", `(${t}.sqrt ${sc("add", sc("div", L("ns"), L("c2")), L("er"))})`, L("eps")))})
    (local.set $j (i32.add (local.get $j) (i32.const ${S})))
    (br $sl))))`);
  }
  return parts.join("\n");
}

// ---------------------------------------------------------------------------------------------
// Full sums (every element into one number), as the reference's loop: one accumulator, in order,
// in float64 (a float32 input is widened exactly; the caller rounds the result once on store).
// A SIMD or multi-accumulator sum would reorder the additions and lose bit-identity.

export function sumWat() {
  return ["f32", "f64"].map((t) => {
    const T = TYPES[t];
    const widen = (p) => (t === "f32" ? `(f64.promote_f32 (f32.load ${p}))` : `(f64.load ${p})`);
    return `
(func (export "sum_${t}") (param $x i32) (param $n i32) (result f64)
  (local $acc f64) (local $end i32) (local $end4 i32)
  (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const ${Math.log2(T.size)}))))
  (local.set $end4 (i32.sub (local.get $end) (i32.const ${3 * T.size})))
  (block $vd (loop $vl
    (br_if $vd (i32.ge_s (local.get $x) (local.get $end4)))
    (local.set $acc (f64.add (local.get $acc) ${widen("(local.get $x)")}))
    (local.set $acc (f64.add (local.get $acc) ${widen(`offset=${T.size} (local.get $x)`)}))
    (local.set $acc (f64.add (local.get $acc) ${widen(`offset=${2 * T.size} (local.get $x)`)}))
    (local.set $acc (f64.add (local.get $acc) ${widen(`offset=${3 * T.size} (local.get $x)`)}))
    (local.set $x (i32.add (local.get $x) (i32.const ${4 * T.size})))
    (br $vl)))
  (block $sd (loop $sl
    (br_if $sd (i32.ge_u (local.get $x) (local.get $end)))
    (local.set $acc (f64.add (local.get $acc) ${widen("(local.get $x)")}))
    (local.set $x (i32.add (local.get $x) (i32.const ${T.size})))
    (br $sl)))
  (local.get $acc))`;
  }).join("\n") + "\n" + sumSquaresWat() + "\n" + bernoulliWat() + "\n" + bernoulliMaskWat();
}

// Bernoulli masks fused with the Threefry blocks (emitted here, beside the sums, to keep the module
// list untouched): element j (c0 + j) is 1 when U = (w0 >>> 5)·2²⁶ + (w1 >>> 6) < C = H·2²⁶ + L, i.e.
// hi < H, or hi = H and lo < L (random.ts's bernoulliKernel compares the same integers), else 0, as
// f32 or f64. H ≤ 2²⁷ and L < 2²⁶ fit unsigned i32 lanes. Writes ceil(n/8)·8 elements.
function bernoulliWat() {
  const L = (n) => `(local.get $${n})`;
  const mask = (w0, w1) => `(v128.or (i32x4.lt_u (i32x4.shr_u ${L(w0)} (i32.const 5)) ${L("vh")})
  (v128.and (i32x4.eq (i32x4.shr_u ${L(w0)} (i32.const 5)) ${L("vh")}) (i32x4.lt_u (i32x4.shr_u ${L(w1)} (i32.const 6)) ${L("vl")})))`;
  return ["f32", "f64"].map((t) => {
    const f64 = t === "f64";
    const size = f64 ? 8 : 4;
    const store = (m, off) => f64
      ? `(local.set $m ${m})
(v128.store offset=${off} (local.get $out) (v128.and (i64x2.extend_low_i32x4_s ${L("m")}) (v128.const f64x2 1 1)))
(v128.store offset=${off + 16} (local.get $out) (v128.and (i64x2.extend_high_i32x4_s ${L("m")}) (v128.const f64x2 1 1)))`
      : `(v128.store offset=${off} (local.get $out) (v128.and ${m} (v128.const f32x4 1 1 1 1)))`;
    const { locals, setup, blocks } = threefryParts();
    return `
(func (export "bernoulli_${t}") (param $k0 i32) (param $k1 i32) (param $c0 i32) (param $x1 i32) (param $n i32) (param $out i32) (param $h i32) (param $l i32)
  ${locals}
  (local $vh v128) (local $vl v128) (local $m v128)
${ind(setup, 2)}
  (local.set $vh (i32x4.splat (local.get $h)))
  (local.set $vl (i32x4.splat (local.get $l)))
  (local.set $end (i32.add (local.get $out) (i32.mul (local.get $n) (i32.const ${size}))))
  (block $d (loop $l
    (br_if $d (i32.ge_u (local.get $out) (local.get $end)))
${ind(blocks, 4)}
${ind(store(mask("a", "b"), 0), 4)}
${ind(store(mask("c", "d"), 4 * size), 4)}
    (local.set $out (i32.add (local.get $out) (i32.const ${8 * size})))
    (br $l))))`;
  }).join("\n");
}

// Scaled Bernoulli masks, one 32-bit word per element (random.ts's bernoulliMask): block j (c0 + j, x1)
// gives elements 2j (word 0) and 2j + 1 (word 1), each `val` when the word is < C (unsigned), else
// +0, as f32 or f64 — half the blocks of bernoulli_*. Sixteen blocks per iteration: words interleaved
// as the threefry kernel stores them, compared, masked with val. Writes ceil(n/32)·32 elements.
function bernoulliMaskWat() {
  const L = (n) => `(local.get $${n})`;
  const lo = (x, y) => `(i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 ${L(x)} ${L(y)})`;
  const hi = (x, y) => `(i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 ${L(x)} ${L(y)})`;
  const cmp = (w) => `(i32x4.lt_u ${w} ${L("vc")})`;
  return ["f32", "f64"].map((t) => {
    const f64 = t === "f64";
    const size = f64 ? 8 : 4;
    // four words (elements) per compare; f64 widens each mask to two i64x2 halves
    const store = (w, off) => f64
      ? `(local.set $m ${cmp(w)})
(v128.store offset=${off} (local.get $out) (v128.and (i64x2.extend_low_i32x4_s ${L("m")}) ${L("vv")}))
(v128.store offset=${off + 16} (local.get $out) (v128.and (i64x2.extend_high_i32x4_s ${L("m")}) ${L("vv")}))`
      : `(v128.store offset=${off} (local.get $out) (v128.and ${cmp(w)} ${L("vv")}))`;
    // four register pairs: the rounds of one pair wait on its add → rotate → xor chain; 16 blocks
    // in flight kept the SIMD units busier (−28 % time per mask than two pairs, same words)
    const { locals, setup, blocks } = threefryParts(20, 4);
    return `
(func (export "bernoulli_mask_${t}") (param $k0 i32) (param $k1 i32) (param $c0 i32) (param $x1 i32) (param $n i32) (param $out i32) (param $cut i32) (param $val f64)
  ${locals}
  (local $vc v128) (local $vv v128) (local $m v128)
${ind(setup, 2)}
  (local.set $vc (i32x4.splat (local.get $cut)))
  (local.set $vv ${f64 ? "(f64x2.splat (local.get $val))" : "(f32x4.splat (f32.demote_f64 (local.get $val)))"})
  (local.set $end (i32.add (local.get $out) (i32.mul (local.get $n) (i32.const ${size}))))
  (block $d (loop $l
    (br_if $d (i32.ge_u (local.get $out) (local.get $end)))
${ind(blocks, 4)}
${ind(["ab", "cd", "ef", "gh"].flatMap(([x, y], p) => [store(lo(x, y), 8 * p * size), store(hi(x, y), (8 * p + 4) * size)]).join("\n"), 4)}
    (local.set $out (i32.add (local.get $out) (i32.const ${32 * size})))
    (br $l))))`;
  }).join("\n");
}

// Σx² (the sumSquares primitive) in kernels/reduce.ts's order: each square rounded to the dtype
// (f32x4.mul / f64x2.mul), element i into float64 accumulator i mod 8 — four f64x2 registers
// (s0 s1)(s2 s3)(s4 s5)(s6 s7) — the n mod 8 tail into s0 in order, then
// ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)). Bit-identical to the TS kernel.
function sumSquaresWat() {
  return ["f32", "f64"].map((t) => {
    const T = TYPES[t];
    const L = (n) => `(local.get $${n})`;
    const acc = (a, v) => `(local.set $${a} (f64x2.add ${L(a)} ${v}))`;
    const body = t === "f32"
      ? `(local.set $v (f32x4.mul (v128.load ${L("x")}) (v128.load ${L("x")})))
    (local.set $w (f32x4.mul (v128.load offset=16 ${L("x")}) (v128.load offset=16 ${L("x")})))
    ${acc("a", `(f64x2.promote_low_f32x4 ${L("v")})`)}
    ${acc("b", `(f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 ${L("v")} ${L("v")}))`)}
    ${acc("c", `(f64x2.promote_low_f32x4 ${L("w")})`)}
    ${acc("d", `(f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 ${L("w")} ${L("w")}))`)}`
      : [0, 1, 2, 3].map((k) => acc("abcd"[k], `(f64x2.mul (v128.load offset=${16 * k} ${L("x")}) (v128.load offset=${16 * k} ${L("x")}))`)).join("\n    ");
    const sq = t === "f32" ? `(f64.promote_f32 (f32.mul (f32.load ${L("x")}) (f32.load ${L("x")})))` : `(f64.mul (f64.load ${L("x")}) (f64.load ${L("x")}))`;
    const pair = (r) => `(f64.add (f64x2.extract_lane 0 ${L(r)}) (f64x2.extract_lane 1 ${L(r)}))`;
    return `
(func (export "sumsq_${t}") (param $x i32) (param $n i32) (result f64)
  (local $end i32) (local $end8 i32) (local $s0 f64) (local $a v128) (local $b v128) (local $c v128) (local $d v128) (local $v v128) (local $w v128)
  (local.set $end (i32.add ${L("x")} (i32.shl ${L("n")} (i32.const ${Math.log2(T.size)}))))
  (local.set $end8 (i32.add ${L("x")} (i32.shl (i32.and ${L("n")} (i32.const -8)) (i32.const ${Math.log2(T.size)}))))
  (block $vd (loop $vl
    (br_if $vd (i32.ge_u ${L("x")} ${L("end8")}))
    ${body}
    (local.set $x (i32.add ${L("x")} (i32.const ${8 * T.size})))
    (br $vl)))
  (local.set $s0 (f64x2.extract_lane 0 ${L("a")}))
  (block $sd (loop $sl
    (br_if $sd (i32.ge_u ${L("x")} ${L("end")}))
    (local.set $s0 (f64.add ${L("s0")} ${sq}))
    (local.set $x (i32.add ${L("x")} (i32.const ${T.size})))
    (br $sl)))
  (f64.add
    (f64.add (f64.add ${L("s0")} (f64x2.extract_lane 1 ${L("a")})) ${pair("b")})
    (f64.add ${pair("c")} ${pair("d")})))`;
  }).join("\n");
}

// ---------------------------------------------------------------------------------------------
// Threefry-2x32, 20 rounds (Random123), eight blocks per iteration as two independent i32x4
// pairs (one pair alone waits on its add → rotate → xor chain): block j encrypts the counter
// (c0 + j, x1) under (k0, k1); its two words go to out[2j], out[2j + 1]. Only 32-bit integer
// adds, xors and shifts, so the words equal random.ts's scalar version bit for bit. Writes
// ceil(n/8)·8 blocks (the caller leaves room for the rounded-up tail).

const THREEFRY_ROT = [[13, 15, 26, 6], [17, 29, 16, 24]];

/** Lanewise rotate left by r: a byte shuffle when r is a multiple of 8 (one instruction instead of three). */
function rotl32x4(x, r) {
  if (r % 8 !== 0) return `(v128.or (i32x4.shl ${x} (i32.const ${r})) (i32x4.shr_u ${x} (i32.const ${32 - r})))`;
  const k = r / 8, idx = [];
  for (let lane = 0; lane < 4; lane++) for (let byte = 0; byte < 4; byte++) idx.push(4 * lane + ((byte - k + 4) % 4));
  return `(i8x16.shuffle ${idx.join(" ")} ${x} ${x})`;
}

/**
 * Threefry's key schedule (locals, setup) and its rounds (20, or 13 for Threefry-2x32-13) on the
 * block pairs (a, b) and (c, d). Random123's schedule: rotation R[r mod 8] in round r, key
 * injection k after round 4k − 1 (so 13 rounds end without a fourth one).
 */
/** `pairs`: independent (word 0, word 1) register pairs per iteration, 2 (a b)(c d) or 4 (… e f, g h): 4·pairs blocks. */
function threefryParts(nRounds = 20, pairs = 2) {
  const P = [["a", "b"], ["c", "d"], ["e", "f"], ["g", "h"]].slice(0, pairs);
  const L = (n) => `(local.get $${n})`;
  const round = (a, b, r) => `(local.set $${a} (i32x4.add ${L(a)} ${L(b)}))
(local.set $${b} (v128.xor ${rotl32x4(L(b), r)} ${L(a)}))`;
  // injection i (1…5): x0 += ks[i mod 3], x1 += ks[(i + 1) mod 3] + i, with ks = (k0, k1, k0 ^ k1 ^ 0x1bd11bda)
  const ks = ["vk0", "vk1", "vk2"];
  const rounds = [];
  for (let r = 0; r < nRounds; r++) {
    const rot = THREEFRY_ROT[Math.floor(r / 4) % 2][r % 4];
    rounds.push(...P.map(([x, y]) => round(x, y, rot)));
    if (r % 4 !== 3) continue;
    const i = (r + 1) / 4;
    for (const [x, y] of P) {
      rounds.push(`(local.set $${x} (i32x4.add ${L(x)} ${L(ks[i % 3])}))`);
      rounds.push(`(local.set $${y} (i32x4.add ${L(y)} ${L(`kb${i}`)}))`);
    }
  }
  const kb = [1, 2, 3, 4, 5].map((i) => `(local.set $kb${i} (i32x4.splat (i32.add (local.get $s${(i + 1) % 3}) (i32.const ${i}))))`);
  const locals = `(local $s0 i32) (local $s1 i32) (local $s2 i32) (local $end i32)
  ${P.flat().map((n) => `(local $${n} v128)`).join(" ")} (local $ctr v128) (local $step v128) (local $b0 v128)
  (local $vk0 v128) (local $vk1 v128) (local $vk2 v128)
  ${[1, 2, 3, 4, 5].map((i) => `(local $kb${i} v128)`).join(" ")}`;
  const setup = `(local.set $s0 (local.get $k0))
(local.set $s1 (local.get $k1))
(local.set $s2 (i32.xor (i32.xor (local.get $k0) (local.get $k1)) (i32.const 0x1bd11bda)))
(local.set $vk0 (i32x4.splat (local.get $s0)))
(local.set $vk1 (i32x4.splat (local.get $s1)))
(local.set $vk2 (i32x4.splat (local.get $s2)))
${kb.join("\n")}
(local.set $b0 (i32x4.splat (i32.add (local.get $x1) (local.get $k1))))
(local.set $step (i32x4.splat (i32.const 4)))
(local.set $ctr (i32x4.add (i32x4.splat (local.get $c0)) (v128.const i32x4 0 1 2 3)))`;
  // eight blocks (c0 + j … c0 + j + 7, x1): words 0 of blocks j…j+3 in a, words 1 in b; j+4…j+7 in c, d (then e f, g h)
  const blocks = `${P.map(([x]) => `(local.set $${x} (i32x4.add (local.get $ctr) (local.get $vk0)))
(local.set $ctr (i32x4.add (local.get $ctr) (local.get $step)))`).join("\n")}
${P.map(([, y]) => `(local.set $${y} (local.get $b0))`).join("\n")}
${rounds.join("\n")}`;
  return { locals, setup, blocks };
}

export function threefryWat() {
  const L = (n) => `(local.get $${n})`;
  const { locals, setup, blocks } = threefryParts();
  const store = (x, y, off) => `(v128.store offset=${off} (local.get $out) (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 ${L(x)} ${L(y)}))
(v128.store offset=${off + 16} (local.get $out) (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 ${L(x)} ${L(y)}))`;
  return `
(func (export "threefry") (param $k0 i32) (param $k1 i32) (param $c0 i32) (param $x1 i32) (param $n i32) (param $out i32)
  ${locals}
${ind(setup, 2)}
  (local.set $end (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 3))))
  (block $d (loop $l
    (br_if $d (i32.ge_u (local.get $out) (local.get $end)))
${ind(blocks, 4)}
${ind(store("a", "b", 0), 4)}
${ind(store("c", "d", 32), 4)}
    (local.set $out (i32.add (local.get $out) (i32.const 64)))
    (br $l))))`;
}

// ---------------------------------------------------------------------------------------------
// Standard normals by the ziggurat (src/ziggurat.ts has the algorithm, its constants and its JS form,
// the reference these kernels equal bit for bit), fused with Threefry and with the affine map of the
// `normal` backend kernel: sample i's first word is word i & 1 of block (i >> 1, 0x3a11), layer
// j = w & 255, z = ((w >> 7) | 1)·W[j], accepted when |z| < XN[j]; the rare rest (wedges, retries on
// blocks (i, RETRY + a), the tail on blocks (i, TAIL + t), with fdlibm's ln and exp) runs here too,
// in scalar code, on the same IEEE operations in the same order as the JS. Three loops (see the kernel):
// the words, the SIMD fast path (rejected samples marked NaN), the marked samples redone; the n mod 32 tail scalar.
//   mode "normal": out = m + sd·z (float64, rounded once to f32);
//   mode "axpy":   out = a·g + sd·z (f64: each product rounded, then the sum; f32: as float32 ops
//                  on fround(a), fround(sd), fround(z): what mul, mul, add of float32 tensors give).
// Table at $tab (f64): (W[j], XN[j]) pairs, then F[0…256], then the constants of ln/exp (ZIG_KERNEL_TABLE).
const ZT = { F: 512 * 8, C: 769 * 8 };
/** Byte offsets of the constants in the table (ziggurat.ts's ZIG_KERNEL_TABLE, same order). */
const ZC = Object.fromEntries(["ln2Hi", "ln2Lo", "lg1", "lg2", "lg3", "lg4", "lg5", "lg6", "lg7", "invLn2", "P1", "P2", "P3", "P4", "P5", "sqrt2", "r"].map((k, i) => [k, ZT.C + 8 * i]));
const ZIG_RETRY = 0x2a000000, ZIG_TAIL = 0x2b000000, ZIG_X1 = 0x3a11;

/** Scalar Threefry-2x32 (nRounds) of block (x0, x1) under (k0, k1) into the globals $tw0, $tw1. */
function threefryScalarWat(nRounds) {
  const lines = [];
  const ks = ["k0", "k1", "k2"];
  for (let r = 0; r < nRounds; r++) {
    const rot = THREEFRY_ROT[Math.floor(r / 4) % 2][r % 4];
    lines.push(`(local.set $x0 (i32.add (local.get $x0) (local.get $x1)))`, `(local.set $x1 (i32.xor (i32.rotl (local.get $x1) (i32.const ${rot})) (local.get $x0)))`);
    if (r % 4 !== 3) continue;
    const i = (r + 1) / 4;
    lines.push(`(local.set $x0 (i32.add (local.get $x0) (local.get $${ks[i % 3]})))`, `(local.set $x1 (i32.add (local.get $x1) (i32.add (local.get $${ks[(i + 1) % 3]}) (i32.const ${i}))))`);
  }
  return `
(func $threefry1_${nRounds} (param $k0 i32) (param $k1 i32) (param $x0 i32) (param $x1 i32)
  (local $k2 i32)
  (local.set $k2 (i32.xor (i32.xor (local.get $k0) (local.get $k1)) (i32.const 0x1bd11bda)))
  (local.set $x0 (i32.add (local.get $x0) (local.get $k0)))
  (local.set $x1 (i32.add (local.get $x1) (local.get $k1)))
${ind(lines.join("\n"), 2)}
  (global.set $tw0 (local.get $x0))
  (global.set $tw1 (local.get $x1)))`;
}

/** ln and exp of ziggurat.ts (logOfWord, expNeg), constants read from the table. */
function zigMathWat() {
  const C = (k) => `(f64.load offset=${ZC[k]} (local.get $tab))`;
  // 2^e for an integer e in [−1022, 1023], exactly, from its bits
  const pow2 = (e) => `(f64.reinterpret_i64 (i64.shl (i64.extend_i32_s (i32.add ${e} (i32.const 1023))) (i64.const 52)))`;
  return `
;; logOfWord(w): ln((w + ½)·2⁻³²), fdlibm's reduction and polynomial
(func $zig_log (param $w i32) (param $tab i32) (result f64)
  (local $p i32) (local $m f64) (local $dk f64) (local $f f64) (local $s f64) (local $z f64) (local $ww f64) (local $R f64) (local $hfsq f64)
  (local.set $p (select (i32.const -1) (i32.sub (i32.const 31) (i32.clz (local.get $w))) (i32.eqz (local.get $w))))
  (local.set $m (f64.mul (f64.add (f64.convert_i32_u (local.get $w)) (f64.const 0.5)) ${pow2("(i32.sub (i32.const 0) (local.get $p))")}))
  (local.set $dk (f64.convert_i32_s (i32.sub (local.get $p) (i32.const 32))))
  (if (f64.gt (local.get $m) ${C("sqrt2")}) (then
    (local.set $m (f64.mul (local.get $m) (f64.const 0.5)))
    (local.set $dk (f64.add (local.get $dk) (f64.const 1)))))
  (local.set $f (f64.sub (local.get $m) (f64.const 1)))
  (local.set $s (f64.div (local.get $f) (f64.add (f64.const 2) (local.get $f))))
  (local.set $z (f64.mul (local.get $s) (local.get $s)))
  (local.set $ww (f64.mul (local.get $z) (local.get $z)))
  ;; R = t2 + t1, t1 = ww·(lg2 + ww·(lg4 + ww·lg6)), t2 = z·(lg1 + ww·(lg3 + ww·(lg5 + ww·lg7)))
  (local.set $R (f64.add
    (f64.mul (local.get $z) (f64.add ${C("lg1")} (f64.mul (local.get $ww) (f64.add ${C("lg3")} (f64.mul (local.get $ww) (f64.add ${C("lg5")} (f64.mul (local.get $ww) ${C("lg7")})))))))
    (f64.mul (local.get $ww) (f64.add ${C("lg2")} (f64.mul (local.get $ww) (f64.add ${C("lg4")} (f64.mul (local.get $ww) ${C("lg6")})))))))
  (local.set $hfsq (f64.mul (f64.mul (f64.const 0.5) (local.get $f)) (local.get $f)))
  ;; dk·ln2Hi − ((hfsq − (s·(hfsq + R) + dk·ln2Lo)) − f)
  (f64.sub (f64.mul (local.get $dk) ${C("ln2Hi")})
    (f64.sub (f64.sub (local.get $hfsq) (f64.add (f64.mul (local.get $s) (f64.add (local.get $hfsq) (local.get $R))) (f64.mul (local.get $dk) ${C("ln2Lo")}))) (local.get $f))))

;; expNeg(x), x ≤ 0: 0 below −700, else fdlibm's exp; k = Math.round(x/ln 2) (ties up, as JS)
(func $zig_exp (param $x f64) (param $tab i32) (result f64)
  (local $v f64) (local $k f64) (local $hi f64) (local $lo f64) (local $r f64) (local $t f64) (local $c f64)
  (if (f64.lt (local.get $x) (f64.const -700)) (then (return (f64.const 0))))
  (local.set $v (f64.mul (local.get $x) ${C("invLn2")}))
  (local.set $k (f64.floor (local.get $v)))
  (if (f64.ge (f64.sub (local.get $v) (local.get $k)) (f64.const 0.5)) (then (local.set $k (f64.add (local.get $k) (f64.const 1)))))
  (local.set $hi (f64.sub (local.get $x) (f64.mul (local.get $k) ${C("ln2Hi")})))
  (local.set $lo (f64.mul (local.get $k) ${C("ln2Lo")}))
  (local.set $r (f64.sub (local.get $hi) (local.get $lo)))
  (local.set $t (f64.mul (local.get $r) (local.get $r)))
  (local.set $c (f64.sub (local.get $r) (f64.mul (local.get $t)
    (f64.add ${C("P1")} (f64.mul (local.get $t) (f64.add ${C("P2")} (f64.mul (local.get $t) (f64.add ${C("P3")} (f64.mul (local.get $t) (f64.add ${C("P4")} (f64.mul (local.get $t) ${C("P5")})))))))))))
  ;; (1 − ((lo − (r·c)/(2 − c)) − hi))·2^k
  (f64.mul
    (f64.sub (f64.const 1) (f64.sub (f64.sub (local.get $lo) (f64.div (f64.mul (local.get $r) (local.get $c)) (f64.sub (f64.const 2) (local.get $c)))) (local.get $hi)))
    ${pow2("(i32.trunc_f64_s (local.get $k))")}))`;
}

/** zigguratSlow + zigguratTail of ziggurat.ts for sample i whose first word w was rejected: z. */
function zigSlowWat(nRounds) {
  const W = (j) => `(f64.load (i32.add (local.get $tab) (i32.shl ${j} (i32.const 4))))`;
  const XN = (j) => `(f64.load offset=8 (i32.add (local.get $tab) (i32.shl ${j} (i32.const 4))))`;
  const F = (j) => `(f64.load offset=${ZT.F} (i32.add (local.get $tab) (i32.shl ${j} (i32.const 3))))`;
  const r = `(f64.load offset=${ZC.r} (local.get $tab))`;
  return `
(func $zig_slow_${nRounds} (export "zig_slow_${nRounds}") (param $k0 i32) (param $k1 i32) (param $i i32) (param $w i32) (param $tab i32) (result f64)
  (local $a i32) (local $j i32) (local $z f64) (local $y f64) (local $x f64) (local $neg i32)
  (local.set $j (i32.and (local.get $w) (i32.const 255)))
  (local.set $z (f64.mul (f64.convert_i32_s (i32.or (i32.shr_s (local.get $w) (i32.const 7)) (i32.const 1))) ${W("(local.get $j)")}))
  (block $tail (loop $retry
    (call $threefry1_${nRounds} (local.get $k0) (local.get $k1) (local.get $i) (i32.add (i32.const ${ZIG_RETRY}) (local.get $a)))
    (if (local.get $a) (then
      (local.set $j (i32.and (global.get $tw0) (i32.const 255)))
      (local.set $z (f64.mul (f64.convert_i32_s (i32.or (i32.shr_s (global.get $tw0) (i32.const 7)) (i32.const 1))) ${W("(local.get $j)")}))
      (if (i32.and (f64.lt (local.get $z) ${XN("(local.get $j)")}) (f64.gt (local.get $z) (f64.neg ${XN("(local.get $j)")}))) (then (return (local.get $z))))))
    (br_if $tail (i32.eqz (local.get $j)))
    ;; the wedge: F[j] + (w1 + ½)·2⁻³²·(F[j + 1] − F[j]) below e^{−z²/2}
    (local.set $y (f64.add ${F("(local.get $j)")} (f64.mul (f64.mul (f64.add (f64.convert_i32_u (global.get $tw1)) (f64.const 0.5)) (f64.const 2.3283064365386963e-10))
      (f64.sub ${F("(i32.add (local.get $j) (i32.const 1))")} ${F("(local.get $j)")}))))
    (if (f64.lt (local.get $y) (call $zig_exp (f64.mul (f64.mul (f64.const -0.5) (local.get $z)) (local.get $z)) (local.get $tab))) (then (return (local.get $z))))
    (local.set $a (i32.add (local.get $a) (i32.const 1)))
    (br $retry)))
  ;; Marsaglia's tail beyond r: x = −ln(u₁)/r, y = −ln(u₂) until 2y > x²
  (local.set $neg (f64.lt (local.get $z) (f64.const 0)))
  (local.set $a (i32.const 0))
  (loop $t
    (call $threefry1_${nRounds} (local.get $k0) (local.get $k1) (local.get $i) (i32.add (i32.const ${ZIG_TAIL}) (local.get $a)))
    (local.set $x (f64.div (f64.neg (call $zig_log (global.get $tw0) (local.get $tab))) ${r}))
    (local.set $y (f64.neg (call $zig_log (global.get $tw1) (local.get $tab))))
    (local.set $a (i32.add (local.get $a) (i32.const 1)))
    (br_if $t (i32.eqz (f64.gt (f64.mul (f64.const 2) (local.get $y)) (f64.mul (local.get $x) (local.get $x))))))
  (if (result f64) (local.get $neg) (then (f64.neg (f64.add ${r} (local.get $x)))) (else (f64.add ${r} (local.get $x)))))`;
}

/** The fused kernels normal_<t>_<mode>_<rounds>(pk, ps, psd, pg, out, tab, n). */
function normalKernelWat(t, mode, nRounds) {
  const f64 = t === "f64", S = f64 ? 8 : 4, axpy = mode === "axpy";
  const L = (n) => `(local.get $${n})`;
  // the value of sample i (address $po, first-word value in f64 z) in scalar code: the vector code's formula
  const scalarValue = (z) => {
    if (!axpy) return f64 ? `(f64.add ${L("m")} (f64.mul ${L("sd")} ${z}))` : `(f32.demote_f64 (f64.add ${L("m")} (f64.mul ${L("sd")} ${z})))`;
    return f64
      ? `(f64.add (f64.mul ${L("m")} (f64.load (i32.add ${L("pg")} (i32.shl ${L("i")} (i32.const 3))))) (f64.mul ${L("sd")} ${z}))`
      : `(f32.add (f32.mul (f32.load (i32.add ${L("pg")} (i32.shl ${L("i")} (i32.const 2)))) ${L("a32")}) (f32.mul (f32.demote_f64 ${z}) ${L("sd32")}))`;
  };
  const store = (v) => `(${t}.store (i32.add ${L("out")} (i32.shl ${L("i")} (i32.const ${Math.log2(S)}))) ${v})`;
  const slow = `(call $zig_slow_${nRounds} ${L("k0")} ${L("k1")} ${L("i")} ${L("w")} ${L("tab")})`;
  // vector value of a pair (z in $z, samples i0 + q, i0 + q + 1 at byte $po + q·S)
  // f64: a rejected lane's value becomes a quiet NaN carrying its first word (0x7ff80000_wwwwwwww),
  // which the second loop finds and redoes; f32 (no room for the word): its z becomes NaN
  const pairStore = (q, h, vec) => {
    const off = q * S;
    const marked = (v) => `(v128.bitselect ${v} (v128.or (i64x2.extend_${h === 0 ? "low" : "high"}_i32x4_u (local.get $${vec})) (local.get $vnan)) (local.get $ok))`;
    if (!axpy) {
      const v = "(f64x2.add (local.get $vm) (f64x2.mul (local.get $vsd) (local.get $z)))";
      return f64 ? `(v128.store offset=${off} (local.get $po) ${marked(v)})` : `(v128.store64_lane offset=${off} 0 (local.get $po) (f32x4.demote_f64x2_zero ${v}))`;
    }
    return f64
      ? `(v128.store offset=${off} (local.get $po) ${marked(`(f64x2.add (f64x2.mul (local.get $vm) (v128.load offset=${off} (local.get $pgi))) (f64x2.mul (local.get $vsd) (local.get $z)))`)})`
      : `(v128.store64_lane offset=${off} 0 (local.get $po) (f32x4.add (f32x4.mul (v128.load64_zero offset=${off} (local.get $pgi)) (local.get $va32)) (f32x4.mul (f32x4.demote_f64x2_zero (local.get $z)) (local.get $vsd32))))`;
  };
  const group = (vec, base) => {
    const out = [`(local.set $o (i32x4.add (i32x4.shl (v128.and (local.get $${vec}) (v128.const i32x4 255 255 255 255)) (i32.const 4)) (local.get $vtab)))
(local.set $sv (v128.or (i32x4.shr_s (local.get $${vec}) (i32.const 7)) (v128.const i32x4 1 1 1 1)))`];
    for (const h of [0, 1]) {
      const zf = h === 0 ? "(f64x2.convert_low_i32x4_s (local.get $sv))" : "(f64x2.convert_low_i32x4_s (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $sv) (local.get $sv)))";
      const p0 = `(i32x4.extract_lane ${2 * h} (local.get $o))`, p1 = `(i32x4.extract_lane ${2 * h + 1} (local.get $o))`;
      const q = base + 2 * h;
      out.push(`(local.set $z (f64x2.mul ${zf} (v128.load64_lane 1 ${p1} (v128.load64_zero ${p0}))))
(local.set $ok (f64x2.lt (f64x2.abs (local.get $z)) (v128.load64_lane offset=8 1 ${p1} (v128.load64_zero offset=8 ${p0}))))
${f64 ? "" : "(local.set $z (v128.bitselect (local.get $z) (local.get $vnan) (local.get $ok)))\n"}${pairStore(q, h, vec)}`);
    }
    return out.join("\n");
  };
  // four register pairs (32 words per iteration): more blocks in flight than two pairs keep the SIMD units busier
  const { locals, setup, blocks } = threefryParts(nRounds, 4);
  const zs = `(f64.mul (f64.convert_i32_s (i32.or (i32.shr_s ${L("w")} (i32.const 7)) (i32.const 1))) (f64.load (i32.add ${L("tab")} (i32.shl (i32.and ${L("w")} (i32.const 255)) (i32.const 4)))))`;
  const xn = `(f64.load offset=8 (i32.add ${L("tab")} (i32.shl (i32.and ${L("w")} (i32.const 255)) (i32.const 4))))`;
  // sample i one by one: its block, first word, fast test and rare path
  const one = () => `(call $threefry1_${nRounds} (local.get $k0) (local.get $k1) (i32.shr_u (local.get $i) (i32.const 1)) (local.get $x1))
(local.set $w (select (global.get $tw1) (global.get $tw0) (i32.and (local.get $i) (i32.const 1))))
(local.set $zz ${zs})
(if (i32.eqz (f64.lt (f64.abs (local.get $zz)) ${xn})) (then (local.set $zz ${slow})))
${store(scalarValue("(local.get $zz)"))}`;
  // a marked f64 value: its word from the payload; any other NaN (of g, m, sd): the sample from scratch
  const redo = `(local.set $bits (i64.reinterpret_f64 (f64.load (i32.add ${L("out")} (i32.shl ${L("i")} (i32.const 3))))))
(if (i64.eq (i64.shr_u (local.get $bits) (i64.const 32)) (i64.const 0x7ff80000)) (then
  (local.set $w (i32.wrap_i64 (local.get $bits)))
  ${store(scalarValue(slow))})
(else
${ind(one(), 2)}))`;
  return `
(func (export "normal_${t}_${mode}_${nRounds}") (param $pk i32) (param $ps i32) (param $psd i32) (param $pg i32) (param $out i32) (param $tab i32) (param $n i32)
  (local $k0 i32) (local $k1 i32) (local $x1 i32) (local $c0 i32) (local $i i32) (local $i0 i32) (local $n16 i32) (local $w i32) (local $bad i32) (local $po i32) (local $pgi i32)
  (local $m f64) (local $sd f64) (local $zz f64) (local $a32 f32) (local $sd32 f32)
  ${locals}
  (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128) (local $o v128) (local $sv v128) (local $z v128) (local $ok v128)
  (local $vm v128) (local $vsd v128) (local $va32 v128) (local $vsd32 v128) (local $vtab v128) (local $vnan v128) (local $pe i32) (local $pw i32) (local $bits i64)
  (local.set $vnan (v128.const i64x2 0x7ff8000000000000 0x7ff8000000000000))
  (local.set $k0 (i32.load (local.get $pk)))
  (local.set $k1 (i32.load offset=4 (local.get $pk)))
  (local.set $x1 (i32.const ${ZIG_X1}))
  (local.set $m (f64.load (local.get $ps)))
  (local.set $sd (f64.load (local.get $psd)))
  (local.set $a32 (f32.demote_f64 (local.get $m)))
  (local.set $sd32 (f32.demote_f64 (local.get $sd)))
  (local.set $vm (f64x2.splat (local.get $m)))
  (local.set $vsd (f64x2.splat (local.get $sd)))
  (local.set $va32 (f32x4.splat (local.get $a32)))
  (local.set $vsd32 (f32x4.splat (local.get $sd32)))
  (local.set $vtab (i32x4.splat (local.get $tab)))
${ind(setup, 2)}
  (local.set $n16 (i32.and (local.get $n) (i32.const -32)))
  ;; pass 1: the first words of samples [0, n16) (n rounded down to 32), in order, into out itself (f64: its last 4·n16 bytes;
  ;; pass 2 reads word i before writing value i, and a value never lands on a word not yet read)
  (local.set $pw (i32.add (local.get $out) (i32.sub (i32.shl (local.get $n) (i32.const ${Math.log2(S)})) (i32.shl (local.get $n16) (i32.const 2)))))
  (local.set $po (local.get $pw))
  (local.set $pe (i32.add (local.get $pw) (i32.shl (local.get $n16) (i32.const 2))))
  (block $d (loop $l
    (br_if $d (i32.ge_u (local.get $po) (local.get $pe)))
${ind(blocks, 4)}
${ind(["ab", "cd", "ef", "gh"].flatMap(([x, y], p) => [
  `(v128.store offset=${32 * p} (local.get $po) (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $${x}) (local.get $${y})))`,
  `(v128.store offset=${32 * p + 16} (local.get $po) (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $${x}) (local.get $${y})))`]).join("\n"), 4)}
    (local.set $po (i32.add (local.get $po) (i32.const 128)))
    (br $l)))
  ;; pass 2: the fast path, four samples at a time (a separate loop: fused with Threefry it ran out of registers)
  (block $d2 (loop $l2
    (br_if $d2 (i32.ge_u (local.get $i0) (local.get $n16)))
    (local.set $v0 (v128.load (i32.add (local.get $pw) (i32.shl (local.get $i0) (i32.const 2)))))
    (local.set $po (i32.add (local.get $out) (i32.shl (local.get $i0) (i32.const ${Math.log2(S)}))))
    (local.set $pgi (i32.add (local.get $pg) (i32.shl (local.get $i0) (i32.const ${Math.log2(S)}))))
${ind(group("v0", 0), 4)}
    (local.set $i0 (i32.add (local.get $i0) (i32.const 4)))
    (br $l2)))
  ;; the rare path, outside the hot loop (its calls would make the loop spill its registers): every
  ;; NaN value of [0, n16) is redone one by one (a rejection, or a NaN of g or of m, sd: redone the same)
  (local.set $po (local.get $out))
  (local.set $pe (i32.add (local.get $out) (i32.shl (local.get $n16) (i32.const ${Math.log2(S)}))))
  (block $fd (loop $fl
    (br_if $fd (i32.ge_u (local.get $po) (local.get $pe)))
    (if (v128.any_true (${f64 ? "f64x2" : "f32x4"}.ne (v128.load (local.get $po)) (v128.load (local.get $po)))) (then
      (local.set $i (i32.shr_u (i32.sub (local.get $po) (local.get $out)) (i32.const ${Math.log2(S)})))
      (local.set $i0 (i32.add (local.get $i) (i32.const ${16 / S})))
      (block $rd (loop $rl
        (br_if $rd (i32.ge_u (local.get $i) (local.get $i0)))
        (if (${t}.ne (${t}.load (i32.add ${L("out")} (i32.shl ${L("i")} (i32.const ${Math.log2(S)})))) (${t}.load (i32.add ${L("out")} (i32.shl ${L("i")} (i32.const ${Math.log2(S)}))))) (then
${ind(f64 ? redo : one(), 10)}))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rl)))))
    (local.set $po (i32.add (local.get $po) (i32.const 16)))
    (br $fl)))
  ;; the last n mod 32 samples one by one
  (local.set $i (local.get $n16))
  (block $td (loop $tl
    (br_if $td (i32.ge_u (local.get $i) (local.get $n)))
${ind(one(), 4)}
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br $tl))))`;
}

export function normalWat() {
  const fns = [zigMathWat()];
  // 20 rounds: the library's Threefry; 13: Threefry-2x32-13 (Random123's Crush-resistant minimum), an option of addScaledNormal
  for (const R of [20, 13]) {
    fns.push(threefryScalarWat(R), zigSlowWat(R));
    for (const t of ["f64", "f32"]) for (const mode of ["normal", "axpy"]) fns.push(normalKernelWat(t, mode, R));
  }
  return fns.join("\n");
}
