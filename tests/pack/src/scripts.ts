// The TypeScript this test runs in the fresh project: the README's API example (verbatim, found the
// way tests/e2e/src/readme-example.test.ts finds it) and the int8 LiteRT check in ./fixtures.
// Both are transpiled to plain ES modules here, so the fresh project needs nothing but Node.
import { readFile } from 'node:fs/promises';
import ts from 'typescript';

export interface ReadmeExample {
  readonly code: string;
  /** The op chain the example promises in its last comment, e.g. `QUANTIZE → … → QUANTIZE`. */
  readonly promised: string;
}

/** The ```ts block between the readme-example markers, and the output line it promises. */
export function readmeExample(readme: string): ReadmeExample {
  const block = /<!-- readme-example:start -->\s*```ts\n([\s\S]*?)```\s*<!-- readme-example:end -->/.exec(readme);
  if (!block) throw new Error('README.md has no ```ts block between <!-- readme-example:start --> and <!-- readme-example:end -->');
  const code = block[1]!;
  const promised = /^\/\/ (QUANTIZE.*)$/m.exec(code);
  if (!promised) throw new Error('the README example has no "// QUANTIZE → …" line saying what it prints');
  return { code, promised: promised[1]!.trim() };
}

/** TypeScript → an ES2022 module for Node, types erased; syntax errors throw. */
export function toModule(source: string, fileName: string): string {
  const out = ts.transpileModule(source, {
    fileName,
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
  });
  const errors = out.diagnostics ?? [];
  if (errors.length > 0) {
    const messages = errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    throw new Error(`${fileName} does not transpile: ${messages.join('; ')}`);
  }
  return out.outputText;
}

export async function readmeScript(readmePath: string): Promise<ReadmeExample & { module: string }> {
  const example = readmeExample(await readFile(readmePath, 'utf8'));
  return { ...example, module: toModule(example.code, 'readme-example.ts') };
}

export async function fixtureScript(name: string): Promise<string> {
  const file = new URL(`./fixtures/${name}.ts`, import.meta.url);
  return toModule(await readFile(file, 'utf8'), `${name}.ts`);
}

/** The `RESULT {json}` line a fixture prints last. */
export function resultLine(stdout: string): unknown {
  const line = stdout
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('RESULT '));
  if (line === undefined) throw new Error(`no RESULT line in the script's output:\n${stdout}`);
  return JSON.parse(line.slice('RESULT '.length));
}
