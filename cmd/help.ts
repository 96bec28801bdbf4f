import { GROUPS, OPTIONS } from "./options.ts";

export function helpText(): string {
  const lines = [
    "mulefarm: uWSGI's mules, farms, spooler, signals, timers and cron for TypeScript, in one binary",
    "",
    "usage: mulefarm [options]            run an instance (options as in uWSGI)",
    "       mulefarm app.ini              same as --ini app.ini",
    "       mulefarm spool ls|show|retry|purge ...   inspect a spool directory",
    "       mulefarm signal NUM --stats ADDR          raise a signal in a running instance",
    "       mulefarm mule parked|resend ID...|all --stats ADDR   poison messages set aside, and sending them again",
    "       mulefarm reload|stop|status --stats ADDR  reload, stop or list the processes of a running instance",
    "",
  ];
  for (const [group, title] of Object.entries(GROUPS)) {
    const opts = OPTIONS.filter((o) => o.group === group);
    if (!opts.length) continue;
    lines.push(`${title}:`);
    const noEffect = opts.filter((o) => o.help === "no effect");
    if (noEffect.length) lines.push(`  ${noEffect.map((o) => `--${o.name}`).join(", ")}: no effect (already how mulefarm behaves)`);
    for (const o of opts) {
      if (o.help === "no effect") continue;
      const names = [o.short ? `-${o.short}, ` : "", `--${o.name}`, o.kind === "value" ? ` ${o.arg ?? "VALUE"}` : o.kind === "optional" ? `[=${o.arg ?? "VALUE"}]` : ""].join("");
      const extra = [o.aliases?.length ? `alias ${o.aliases.map((a) => `--${a}`).join(", ")}` : "", o.multiple ? "repeatable" : "", o.default !== undefined && o.kind !== "flag" ? `default ${o.default}` : "", o.max !== undefined ? `at most ${o.max}` : ""].filter(Boolean).join("; ");
      lines.push(`  ${names.padEnd(34)} ${o.help}${extra ? ` (${extra})` : ""}`);
    }
    lines.push("");
  }
  lines.push("Every option also works in an ini file: [uwsgi] or [mulefarm] section, key = value, %(name) and $(ENV) expanded.");
  return lines.join("\n");
}
