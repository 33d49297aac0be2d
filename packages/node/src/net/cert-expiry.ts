/**
 * Certificate expiry warnings over every certificate the node knows: its own TLS certificate,
 * the certificates its peers presented, and from the on-chain registry each active
 * organisation's CA certificates and each active member's or device's certificate. An expired
 * node or CA certificate cuts a node off the network, an expired member certificate stops its
 * transactions: operators need to see them coming.
 */
import { type CanonicalValue, parseJson } from "@weft/core";
import { certificateInfo } from "@weft/p2p";
import type { Gauge } from "prom-client";
import type { IdentityOptions } from "../identity-options.js";
import type { Member } from "../modules/identity/schema.js";
import { listOrgs, type StateGetter } from "../modules/identity/state.js";

const DAY_MS = 86_400_000;

export type CertificateKind = "node" | "peer" | "ca" | "member" | "device";

export interface KnownCertificate {
  kind: CertificateKind;
  /** Node id, CA common name, or member/device id. */
  subject: string;
  org: string;
  /** SHA-256 of the DER, lower-case hex. */
  fingerprint: string;
  /** ms since the epoch */
  notBefore: number;
  notAfter: number;
}

export type CertificateStatus = "ok" | "expiring" | "expired";

export interface CertificateReportEntry extends KnownCertificate {
  /** Whole days until notAfter (negative once expired). */
  expiresInDays: number;
  status: CertificateStatus;
}

/** What the API lists: the node's certificate view. */
export interface CertificateLister {
  readonly warningDays: number;
  /** Every known certificate, soonest expiry first; `withinDays`: only those expiring within it (or expired). */
  list(withinDays?: number): CertificateReportEntry[];
}

/** Active organisations' CA certificates and active members' certificates in the registry. */
export function registryCertificates(
  get: StateGetter,
  memberEntries: Iterable<[string, Uint8Array]>,
  now: number,
): KnownCertificate[] {
  const out: KnownCertificate[] = [];
  const active = new Set<string>();
  for (const org of listOrgs(get)) {
    if (org.status !== "active") continue;
    active.add(org.name);
    for (const pem of org.caCerts) {
      try {
        const info = certificateInfo(pem);
        out.push({
          kind: "ca",
          subject: info.subjectCN,
          org: org.name,
          fingerprint: info.fingerprint,
          notBefore: info.notBefore.getTime(),
          notAfter: info.notAfter.getTime(),
        });
      } catch {
        // Registered CA certificates were parsed on chain; an unreadable one is not ours to judge here.
      }
    }
  }
  for (const [, bytes] of memberEntries) {
    const member = parseJson(bytes) as CanonicalValue as unknown as Member;
    const cert = member.certificate;
    if (!cert || member.status !== "active" || !active.has(member.org)) continue;
    if (member.validUntil !== undefined && member.validUntil <= now) continue; // rotated away
    out.push({
      kind: member.kind === "device" ? "device" : "member",
      subject: member.id,
      org: member.org,
      fingerprint: cert.fingerprint,
      notBefore: cert.notBefore,
      notAfter: cert.notAfter,
    });
  }
  return out;
}

export function assess(cert: KnownCertificate, now: number, warningDays: number): CertificateReportEntry {
  const left = cert.notAfter - now;
  const status: CertificateStatus = left <= 0 ? "expired" : left <= warningDays * DAY_MS ? "expiring" : "ok";
  return { ...cert, expiresInDays: Math.floor(left / DAY_MS), status };
}

export interface CertificateMonitorParams {
  /** Every certificate known right now (duplicates by kind and fingerprint are merged). */
  sources: () => KnownCertificate[];
  options: Pick<IdentityOptions, "certWarningDays" | "certCheckIntervalMs">;
  gauge: Gauge<"kind" | "subject" | "org">;
  log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  now?: () => number;
}

/** Periodic check: logs each expiring or expired certificate once per check window, keeps the gauge current. */
export class CertificateMonitor implements CertificateLister {
  readonly #p: CertificateMonitorParams;
  readonly #now: () => number;
  /** fingerprint+kind → when it was last warned about */
  readonly #warned = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;

  constructor(params: CertificateMonitorParams) {
    this.#p = params;
    this.#now = params.now ?? Date.now;
  }

  get warningDays(): number {
    return this.#p.options.certWarningDays;
  }

  list(withinDays?: number): CertificateReportEntry[] {
    const now = this.#now();
    const entries = this.#entries(now);
    this.#updateGauge(entries, now);
    if (withinDays === undefined) return entries;
    return entries.filter((e) => e.notAfter - now <= withinDays * DAY_MS);
  }

  /** One check: gauge, and a log line per expiring/expired certificate not logged within the window. */
  check(): CertificateReportEntry[] {
    const now = this.#now();
    const entries = this.#entries(now);
    this.#updateGauge(entries, now);
    const window = this.#p.options.certCheckIntervalMs;
    const seen = new Set<string>();
    for (const e of entries) {
      const id = `${e.kind}:${e.fingerprint}`;
      seen.add(id);
      if (e.status === "ok") continue;
      const last = this.#warned.get(id);
      if (last !== undefined && now - last < window) continue;
      this.#warned.set(id, now);
      const fields = {
        kind: e.kind,
        subject: e.subject,
        org: e.org,
        fingerprint: e.fingerprint,
        notAfter: new Date(e.notAfter).toISOString(),
        expiresInDays: e.expiresInDays,
      };
      if (e.status === "expired") this.#p.log.error(fields, "certificate expired");
      else this.#p.log.warn(fields, `certificate expires within ${this.warningDays} days`);
    }
    for (const id of [...this.#warned.keys()]) if (!seen.has(id)) this.#warned.delete(id);
    return entries;
  }

  start(): void {
    this.check();
    this.#timer = setInterval(() => {
      try {
        this.check();
      } catch (err) {
        this.#p.log.error({ err }, "certificate check failed");
      }
    }, this.#p.options.certCheckIntervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #entries(now: number): CertificateReportEntry[] {
    const unique = new Map<string, KnownCertificate>();
    for (const cert of this.#p.sources()) unique.set(`${cert.kind}:${cert.fingerprint}`, cert);
    return [...unique.values()]
      .map((cert) => assess(cert, now, this.warningDays))
      .sort((a, b) => a.notAfter - b.notAfter || a.subject.localeCompare(b.subject));
  }

  #updateGauge(entries: CertificateReportEntry[], now: number): void {
    const { gauge } = this.#p;
    gauge.reset(); // certificates that left (a peer removed, a member revoked) leave the metric too
    for (const e of entries) {
      gauge.set({ kind: e.kind, subject: e.subject, org: e.org }, Math.round((e.notAfter - now) / 1000));
    }
  }
}
