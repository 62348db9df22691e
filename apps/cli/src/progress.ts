import cliProgress from "cli-progress";

/** A progress bar on a TTY, periodic plain lines otherwise (CI logs, pipes). */
export function progressBar(label: string, total: number): { update(value: number, payload?: Record<string, string>): void; stop(): void } {
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} | eta {eta_formatted} | {info}`,
      noTTYOutput: true,
      notTTYSchedule: 5000,
      hideCursor: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { info: "" });
  return {
    update: (value, payload) => bar.update(value, payload ?? {}),
    stop: () => bar.stop(),
  };
}
