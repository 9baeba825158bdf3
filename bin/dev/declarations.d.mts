// Generated from the module's JSDoc by bin/dev/declarations.mjs; do not edit.
/**
 * Type-checks the modules under bin/lib and emits their declarations in memory. Existing
 * .d.mts files are hidden from the compiler so types always come from the sources.
 * @returns {{ diagnostics: string[], declarations: Map<string, string> }} keyed by the path the file belongs at
 */
export function emitDeclarations(): {
    diagnostics: string[];
    declarations: Map<string, string>;
};
/**
 * The declaration files whose committed text differs from what the sources give.
 * @param {Map<string, string>} declarations
 * @returns {Promise<string[]>}
 */
export function staleDeclarations(declarations: Map<string, string>): Promise<string[]>;
