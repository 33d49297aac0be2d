/**
 * Picks up a rotated TLS certificate without a restart: watches the home's tls folder (and
 * SIGHUP), and once the files have been quiet for a moment loads the pair and hands it to the
 * p2p host, which re-handshakes every peer with it.
 */
import { type FSWatcher, readFileSync, watch } from "node:fs";
import { certificateInfo, type P2PHost, type TlsIdentity } from "@weft/p2p";

export interface IdentityFiles {
  /** The folder watched (where rotation renames the new files in). */
  dir: string;
  cert: string;
  key: string;
}

export interface IdentityWatcherParams {
  files: IdentityFiles;
  host: Pick<P2PHost, "reloadIdentity" | "stats">;
  debounceMs: number;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  /** Also reload on SIGHUP (the process-wide signal; off for nodes sharing a process in tests). */
  sighup?: boolean;
}

export class IdentityWatcher {
  readonly #p: IdentityWatcherParams;
  #watcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  readonly #onSignal = () => this.#schedule(0);

  constructor(params: IdentityWatcherParams) {
    this.#p = params;
  }

  start(): void {
    try {
      this.#watcher = watch(this.#p.files.dir, () => this.#schedule(this.#p.debounceMs));
      this.#watcher.on("error", (err) =>
        this.#p.log.warn({ err, dir: this.#p.files.dir }, "watching the tls folder failed"),
      );
    } catch (err) {
      this.#p.log.warn(
        { err, dir: this.#p.files.dir },
        "cannot watch the tls folder; SIGHUP reloads the certificate",
      );
    }
    if (this.#p.sighup) process.on("SIGHUP", this.#onSignal);
  }

  stop(): void {
    this.#watcher?.close();
    this.#watcher = undefined;
    clearTimeout(this.#timer);
    if (this.#p.sighup) process.off("SIGHUP", this.#onSignal);
  }

  /**
   * Loads the files and, when they hold another certificate than the one in use, switches to it
   * and reconnects every peer. A pair that does not load (half written, key not matching) is
   * logged and left: the next change of the folder tries again.
   */
  reload(): boolean {
    const { files, host, log } = this.#p;
    let identity: TlsIdentity;
    try {
      identity = { certPem: readFileSync(files.cert, "utf8"), keyPem: readFileSync(files.key, "utf8") };
    } catch (err) {
      log.warn({ err }, "reading the node TLS certificate failed");
      return false;
    }
    const before = host.stats().identity;
    let next: ReturnType<typeof certificateInfo>;
    try {
      next = certificateInfo(identity.certPem);
    } catch (err) {
      log.warn({ err, file: files.cert }, "the node TLS certificate file does not parse (yet)");
      return false;
    }
    if (next.fingerprint === before.fingerprint) return false;
    try {
      host.reloadIdentity(identity, { reconnect: true });
    } catch (err) {
      log.warn({ err }, "the new node TLS certificate was not taken; the current one stays in use");
      return false;
    }
    log.info(
      {
        from: before.fingerprint,
        fromNotAfter: new Date(before.notAfter).toISOString(),
        to: next.fingerprint,
        toNotAfter: next.notAfter.toISOString(),
      },
      "node TLS certificate rotated: peers reconnect with the new one",
    );
    return true;
  }

  #schedule(delayMs: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.reload(), delayMs);
    this.#timer.unref();
  }
}
