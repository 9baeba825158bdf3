import { describe, expect, it } from "vitest";
import { checkPositionals, parseArgs, positiveInteger, type CommandSpec } from "./args.mjs";

const commands: Record<string, CommandSpec> = {
  deploy: {
    usage: "deploy [dir]",
    summary: "",
    minPositionals: 0,
    maxPositionals: 1,
    options: { name: { type: "string" }, wait: { type: "boolean", default: true } },
  },
  invoke: {
    usage: "invoke <function>",
    summary: "",
    minPositionals: 1,
    maxPositionals: 1,
    options: { data: { type: "string", short: "d" }, header: { type: "string", short: "H", multiple: true } },
  },
};

describe("argument parsing", () => {
  it("finds the command, its positionals and options in any order", () => {
    expect(parseArgs(["--json", "deploy", "./fn", "--name", "hello"], commands)).toEqual({
      command: "deploy",
      positionals: ["./fn"],
      options: { json: true, name: "hello", wait: true, help: false, version: false },
    });
    expect(parseArgs(["deploy", "--name=hello", "--url", "http://x:1"], commands).options).toMatchObject({ name: "hello", url: "http://x:1" });
  });

  it("turns --no-<switch> off and takes --switch=false", () => {
    expect(parseArgs(["deploy", "--no-wait"], commands).options.wait).toBe(false);
    expect(parseArgs(["deploy", "--wait=false"], commands).options.wait).toBe(false);
    expect(() => parseArgs(["deploy", "--wait=maybe"], commands)).toThrow(/is a switch/);
  });

  it("supports short options, joined values and repeated options", () => {
    const parsed = parseArgs(["invoke", "fn", "-d", '{"a":1}', "-HX-One: 1", "--header", "X-Two: 2"], commands);
    expect(parsed.options.data).toBe('{"a":1}');
    expect(parsed.options.header).toEqual(["X-One: 1", "X-Two: 2"]);
  });

  it("treats everything after -- as positional", () => {
    expect(parseArgs(["invoke", "--", "--weird-name"], commands).positionals).toEqual(["--weird-name"]);
  });

  it("rejects unknown commands, unknown options and missing values with a usage error", () => {
    expect(() => parseArgs(["deplo"], commands)).toThrow(/Unknown command "deplo"/);
    expect(() => parseArgs(["deploy", "--nmae", "x"], commands)).toThrow(/Unknown option --nmae for deploy/);
    expect(() => parseArgs(["deploy", "--name"], commands)).toThrow(/--name needs a value/);
    expect(() => parseArgs(["invoke", "-z"], commands)).toThrow(/Unknown option -z/);
    try {
      parseArgs(["deploy", "--nope"], commands);
    } catch (error) {
      expect((error as { exitCode: number }).exitCode).toBe(2);
    }
  });

  it("checks the number of positionals", () => {
    expect(() => checkPositionals(commands.invoke, [])).toThrow(/Missing argument. Usage: dart-cloud invoke <function>/);
    expect(() => checkPositionals(commands.deploy, ["a", "b"])).toThrow(/Too many arguments \(b\)/);
    expect(() => checkPositionals(commands.invoke, ["fn"])).not.toThrow();
  });

  it("parses positive whole numbers", () => {
    expect(positiveInteger("12", "--limit")).toBe(12);
    expect(() => positiveInteger("0", "--limit")).toThrow(/--limit must be a whole number/);
    expect(() => positiveInteger("1.5", "--limit")).toThrow();
  });
});
