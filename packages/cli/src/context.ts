import { existsSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import type { Genesis } from "@weft/core";
import { homePaths, readGenesis } from "@weft/node";
import { createClient, type WeftClient } from "@weft/sdk";
import type { Command } from "commander";
import { loadNodeConfig, type NodeConfig } from "./config.js";
import { CliError } from "./errors.js";
import { enclosingRoot, isNetworkRoot, nodeHomeIn, orgNames } from "./network.js";
import { Output, type TextSink } from "./output.js";

/** The process as the CLI sees it; injected so tests can run the program in-process. */
export interface CliIo {
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  stdout: TextSink;
  stderr: TextSink;
}

/** Options every command accepts (commander reads them before or after the command name). */
export interface GlobalOptions {
  home?: string;
  url?: string;
  json?: boolean;
  /** An organisation of the network folder `home`: its node home `<home>/<org>` is used. */
  node?: string;
}

export const DEFAULT_HOME = ".weft";
export const DEFAULT_PORT = 8080;

const envValue = (io: CliIo, name: string): string | undefined => io.env[name] || undefined;

/** `--home`, else $WEFT_HOME, else ./.weft, against the working directory. */
export function resolveHome(option: string | undefined, io: CliIo): string {
  return resolve(io.cwd, option ?? envValue(io, "WEFT_HOME") ?? DEFAULT_HOME);
}

/** `--url`, else $WEFT_URL, else where the home's config says the local node listens. */
export function resolveUrl(option: string | undefined, io: CliIo, config: NodeConfig): string {
  return option ?? envValue(io, "WEFT_URL") ?? localUrl(config);
}

/** The URL a node started from this config answers on, as seen from this machine. */
export function localUrl(config: NodeConfig): string {
  const host = config.api?.host;
  // A wildcard address (or localhost) is reachable on loopback; any other must be used as is.
  const specific = host !== undefined && !["0.0.0.0", "::", "localhost"].includes(host);
  const shown = !specific ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  return `http://${shown}:${config.api?.port || DEFAULT_PORT}`;
}

/**
 * What one command invocation works with: its home, output and (lazily) config and client.
 * With `--node <org>`, `home` is that organisation's node home inside the network folder given
 * as --home; account keys of a node home inside its network folder are the network's `keys/`.
 */
export class CliContext {
  readonly out: Output;
  readonly home: string;
  readonly paths: ReturnType<typeof homePaths>;
  /** The network folder this home is, or is an organisation's node home in; else undefined. */
  readonly networkRoot: string | undefined;
  /** Where account keys are read and written. */
  readonly keysDir: string;
  #config: NodeConfig | undefined;

  constructor(
    readonly io: CliIo,
    readonly options: GlobalOptions,
  ) {
    this.out = new Output(options.json === true, io.stdout, io.stderr);
    const home = resolveHome(options.home, io);
    if (options.node !== undefined) {
      this.home = nodeHomeIn(home, options.node);
      this.networkRoot = home;
    } else {
      this.home = home;
      this.networkRoot = isNetworkRoot(home) ? home : enclosingRoot(home);
    }
    this.paths = homePaths(this.home);
    this.keysDir = this.networkRoot ? join(this.networkRoot, "keys") : this.paths.keys;
  }

  /** `<home>/config.json`, checked (CLI_BAD_CONFIG, exit 2); empty when absent. */
  config(): NodeConfig {
    this.#config ??= loadNodeConfig(this.paths.config);
    return this.#config;
  }

  /** `--url`, else `--node`'s API, else $WEFT_URL, else this home's node (a network folder: its first). */
  url(): string {
    if (this.options.url !== undefined) return this.options.url;
    // --node is explicit on the command line: it beats the ambient $WEFT_URL.
    if (this.options.node !== undefined) return localUrl(this.config());
    const env = envValue(this.io, "WEFT_URL");
    if (env !== undefined) return env;
    // config.json is read (and checked) only when it decides.
    if (this.isNetworkRoot()) {
      const first = orgNames(this.home).find((org) => existsSync(homePaths(join(this.home, org)).nodeKey));
      if (first !== undefined) return localUrl(loadNodeConfig(homePaths(join(this.home, first)).config));
    }
    return localUrl(this.config());
  }

  /** This home is a network folder (not a node home): node commands need --node. */
  isNetworkRoot(): boolean {
    return this.networkRoot === this.home;
  }

  client(): WeftClient {
    return createClient({ url: this.url() });
  }

  isInitialised(): boolean {
    return existsSync(this.paths.genesis);
  }

  /** The home's genesis: the trust anchor for proofs and the chain for node commands. */
  genesis(): Genesis {
    if (!this.isInitialised()) {
      throw new CliError({
        code: "CLI_NOT_INITIALISED",
        message: `no genesis.json in ${this.home} (create a home with \`weft init\`, or pass --home)`,
        exitCode: 2,
      });
    }
    return readGenesis(this.paths.genesis);
  }

  /** The home as a user would type it here: relative when under the working directory. */
  shownHome(): string {
    const rel = relative(this.io.cwd, this.home);
    return rel === "" ? "." : rel.startsWith("..") || isAbsolute(rel) ? this.home : rel;
  }

  /** A path given on the command line, relative to the working directory. */
  resolvePath(path: string): string {
    return resolve(this.io.cwd, path);
  }
}

export function contextOf(command: Command, io: CliIo): CliContext {
  return new CliContext(io, command.optsWithGlobals<GlobalOptions>());
}
