import { ProofError, WeftError } from "@weft/core";
import { ApiError, SdkError } from "@weft/sdk";
import { CommanderError } from "commander";
import { describe, expect, it } from "vitest";
import { CliError, describeError, exitCodeOf, usage } from "../../src/errors.js";
import { formatUnits } from "../../src/format.js";
import { Output } from "../../src/output.js";

describe("exit codes and error lines", () => {
  it("maps usage and input problems to 2 and failed operations to 1", () => {
    expect(exitCodeOf(usage("bad"))).toBe(2);
    expect(exitCodeOf(new CommanderError(1, "commander.unknownCommand", "error: unknown command 'x'"))).toBe(
      2,
    );
    expect(exitCodeOf(new CommanderError(0, "commander.helpDisplayed", "(outputHelp)"))).toBe(0);
    expect(exitCodeOf(new SdkError({ code: "SDK_INVALID_AMOUNT", message: "negative" }))).toBe(2);
    expect(exitCodeOf(new SdkError({ code: "SDK_NETWORK", message: "refused" }))).toBe(1);
    expect(exitCodeOf(new ProofError({ code: "PROOF_BAD_PATH", part: "path", message: "x" }))).toBe(1);
    // The node refusing is a failed operation, even for a code that is local input trouble.
    expect(exitCodeOf(new ApiError({ code: "TX_MALFORMED", message: "x", status: 400 }))).toBe(1);
    expect(exitCodeOf(new WeftError({ code: "TX_MALFORMED", message: "x" }))).toBe(2);
    expect(exitCodeOf(new CliError({ code: "CLI_TX_PENDING", message: "x", exitCode: 1 }))).toBe(1);
    expect(exitCodeOf(new Error("boom"))).toBe(1);
  });

  it("prints one line with a code, whatever was thrown", () => {
    expect(
      describeError(new CommanderError(1, "commander.unknownCommand", "error: unknown command 'x'")),
    ).toEqual({
      code: "CLI_USAGE",
      message: "unknown command 'x' (see weft --help)",
    });
    expect(
      describeError(new SdkError({ code: "SDK_INVALID_AMOUNT", message: "amount\n must not be negative" })),
    ).toEqual({
      code: "SDK_INVALID_AMOUNT",
      message: "amount must not be negative",
    });
    expect(describeError(Object.assign(new Error("listen EADDRINUSE"), { code: "EADDRINUSE" })).code).toBe(
      "EADDRINUSE",
    );
    expect(describeError("weird")).toEqual({ code: "CLI_INTERNAL", message: "weird" });
    expect(describeError(new SdkError({ code: "SDK_NETWORK", message: "refused" })).message).toContain(
      "weft start",
    );
  });

  it("shows the stack only when debugging", () => {
    let text = "";
    const sink = { write: (s: string) => (text += s) };
    new Output(false, sink, sink).error(new Error("boom"));
    expect(text).toBe("error: CLI_INTERNAL: boom\n");
    text = "";
    new Output(false, sink, sink).error(new Error("boom"), true);
    expect(text.split("\n").length).toBeGreaterThan(2);
  });
});

describe("formatting", () => {
  it("shows base units as decimals", () => {
    expect(formatUnits("100000000", 2)).toBe("1000000.00");
    expect(formatUnits("5", 2)).toBe("0.05");
    expect(formatUnits("5", 0)).toBe("5");
    expect(formatUnits("(absent)", 2)).toBe("(absent)");
  });
});
