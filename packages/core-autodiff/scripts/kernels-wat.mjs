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

/** Micro-kernel: C[MR×NR] (row stride ldc bytes) (=|+=) packed A panel · packed B panel over kc. */
function microKernel(t) {
  const T = TYPES[t];
  const V = T.NR / T.lanes; // v128 per tile row
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
  const step = (u) => {
    const body = [];
    for (let v = 0; v < V; v++) body.push(`(local.set $b${v} (v128.load offset=${u * T.NR * T.size + v * 16} (local.get $bp)))`);
    for (let r = 0; r < T.MR; r++) {
      body.push(`(local.set $av (${T.splat} offset=${u * T.MR * T.size + r * T.size} (local.get $ap)))`);
      for (let v = 0; v < V; v++) {
        body.push(`(local.set $c${r}${v} (${t}x${T.lanes}.add (local.get $c${r}${v}) (${t}x${T.lanes}.mul (local.get $av) (local.get $b${v}))))`);
      }
    }
    return body;
  };
  const U = CFG.unroll ?? 1;
  const body = [];
  for (let u = 0; u < U; u++) body.push(...step(u));
  body.push(`(local.set $ap (i32.add (local.get $ap) (i32.const ${U * T.MR * T.size})))`);
  body.push(`(local.set $bp (i32.add (local.get $bp) (i32.const ${U * T.NR * T.size})))`);
  const tail = step(0);
  tail.push(`(local.set $ap (i32.add (local.get $ap) (i32.const ${T.MR * T.size})))`);
  tail.push(`(local.set $bp (i32.add (local.get $bp) (i32.const ${T.NR * T.size})))`);
  return `
;; C tile (${T.MR}×${T.NR} ${t}) = (first ? 0 : C) + Σ_k a[k]·b[k], sequential in k (no FMA),
;; so a float64 tile is bit-identical to the scalar loop c += a·b of the TS reference.
(func $kern_${t} (param $ap i32) (param $bp i32) (param $kc i32) (param $c i32) (param $ldc i32) (param $first i32)
  ${locals}
  ${bl} (local $av v128) (local $cr i32)
  (local.set $cr (local.get $c))
  (if (i32.eqz (local.get $first)) (then
${ind(loadC.join("\n"), 4)}))
  (block $done (loop $k
    (br_if $done (i32.lt_u (local.get $kc) (i32.const ${U})))
${ind(body.join("\n"), 4)}
    (local.set $kc (i32.sub (local.get $kc) (i32.const ${U})))
    (br $k)))${U > 1 ? `
  (block $done1 (loop $k1
    (br_if $done1 (i32.eqz (local.get $kc)))
${ind(tail.join("\n"), 4)}
    (local.set $kc (i32.sub (local.get $kc) (i32.const 1)))
    (br $k1)))` : ""}
  (local.set $cr (local.get $c))
${ind(storeC.join("\n"), 2)})`;
}

/** Packing of op(A) rows and op(B) columns into MR-row / NR-column panels, k-major, zero-padded. */
function packers(t) {
  const T = TYPES[t];
  const S = T.size;
  return `
;; dst[(p·kc + k)·MR + r] = op(A)[i0 + MR·p + r, k0 + k] (0 past row M); A is [M,K], or [K,M] when trans.
(func $pack_a_${t} (param $a i32) (param $M i32) (param $K i32) (param $trans i32)
    (param $i0 i32) (param $mc i32) (param $k0 i32) (param $kc i32) (param $dst i32)
  (local $p i32) (local $k i32) (local $r i32) (local $i i32) (local $src i32)
  (local.set $p (i32.const 0))
  (block $pd (loop $pl
    (br_if $pd (i32.ge_u (local.get $p) (local.get $mc)))
    (local.set $k (i32.const 0))
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
    (param $j0 i32) (param $nc i32) (param $k0 i32) (param $kc i32) (param $dst i32)
  (local $q i32) (local $k i32) (local $c i32) (local $j i32) (local $src i32)
  (local.set $q (i32.const 0))
  (block $qd (loop $ql
    (br_if $qd (i32.ge_u (local.get $q) (local.get $nc)))
    (local.set $k (i32.const 0))
    (block $kd (loop $kl
      (br_if $kd (i32.ge_u (local.get $k) (local.get $kc)))
      (local.set $j (i32.add (local.get $j0) (local.get $q)))
      (if (i32.and (i32.eqz (local.get $trans)) (i32.le_u (i32.add (local.get $j) (i32.const ${T.NR})) (local.get $N)))
        (then
          (local.set $src (i32.add (local.get $b) (i32.shl
            (i32.add (i32.mul (i32.add (local.get $k0) (local.get $k)) (local.get $N)) (local.get $j)) (i32.const ${Math.log2(S)}))))
${ind(Array.from({ length: T.NR / T.lanes }, (_, v) => `(v128.store offset=${v * 16} (local.get $dst) (v128.load offset=${v * 16} (local.get $src)))`).join("\n"), 10)}
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
    (param $pa i32) (param $pb i32) (param $tile i32) (param $KC i32) (param $MC i32) (param $NC i32)
  (local $jc i32) (local $nc i32) (local $pc i32) (local $kc i32) (local $ic i32) (local $mc i32)
  (local $jr i32) (local $cols i32) (local $ir i32) (local $rows i32) (local $cp i32) (local $first i32)
  (local $r i32) (local $q i32)
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
        (local.get $jc) (local.get $nc) (local.get $pc) (local.get $kc) (local.get $pb))
      (local.set $ic (i32.const 0))
      (block $icd (loop $icl
        (br_if $icd (i32.ge_u (local.get $ic) (local.get $M)))
        (local.set $mc (select (local.get $MC) (i32.sub (local.get $M) (local.get $ic))
          (i32.lt_u (local.get $MC) (i32.sub (local.get $M) (local.get $ic)))))
        (call $pack_a_${t} (local.get $a) (local.get $M) (local.get $K) (local.get $ta)
          (local.get $ic) (local.get $mc) (local.get $pc) (local.get $kc) (local.get $pa))
        (local.set $jr (i32.const 0))
        (block $jrd (loop $jrl
          (br_if $jrd (i32.ge_u (local.get $jr) (local.get $nc)))
          (local.set $cols (select (i32.const ${T.NR}) (i32.sub (local.get $nc) (local.get $jr))
            (i32.lt_u (i32.const ${T.NR}) (i32.sub (local.get $nc) (local.get $jr)))))
          (local.set $ir (i32.const 0))
          (block $ird (loop $irl
            (br_if $ird (i32.ge_u (local.get $ir) (local.get $mc)))
            (local.set $rows (select (i32.const ${T.MR}) (i32.sub (local.get $mc) (local.get $ir))
              (i32.lt_u (i32.const ${T.MR}) (i32.sub (local.get $mc) (local.get $ir)))))
            (local.set $cp (i32.add (local.get $c) (i32.shl
              (i32.add (i32.mul (i32.add (local.get $ic) (local.get $ir)) (local.get $N)) (i32.add (local.get $jc) (local.get $jr)))
              (i32.const ${sh}))))
            (if (i32.and (i32.eq (local.get $rows) (i32.const ${T.MR})) (i32.eq (local.get $cols) (i32.const ${T.NR})))
              (then
                (call $kern_${t} (i32.add (local.get $pa) (i32.shl (i32.mul (local.get $ir) (local.get $kc)) (i32.const ${sh})))
                  (i32.add (local.get $pb) (i32.shl (i32.mul (local.get $jr) (local.get $kc)) (i32.const ${sh})))
                  (local.get $kc) (local.get $cp) (i32.shl (local.get $N) (i32.const ${sh})) (local.get $first)))
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
                (call $kern_${t} (i32.add (local.get $pa) (i32.shl (i32.mul (local.get $ir) (local.get $kc)) (i32.const ${sh})))
                  (i32.add (local.get $pb) (i32.shl (i32.mul (local.get $jr) (local.get $kc)) (i32.const ${sh})))
                  (local.get $kc) (local.get $tile) (i32.const ${T.NR * S}) (local.get $first))
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
${ind([microKernel("f32"), packers("f32"), driver("f32"), microKernel("f64"), packers("f64"), driver("f64")].join("\n"), 2)}
)
`;
}
