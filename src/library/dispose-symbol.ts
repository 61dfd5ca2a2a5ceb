// `await using` looks the disposer up under Symbol.asyncDispose. Node 20.4+ defines it; before that,
// TypeScript's and esbuild's downlevel helpers fall back to Symbol.for('Symbol.asyncDispose'), so
// defining it as that same symbol keeps the two sides agreeing. Imported first by the entry.
const symbols = Symbol as unknown as { asyncDispose?: symbol; dispose?: symbol };
symbols.asyncDispose ??= Symbol.for('Symbol.asyncDispose');
symbols.dispose ??= Symbol.for('Symbol.dispose');

export {};
