// Generated from the module's JSDoc by bin/dev/declarations.mjs; do not edit.
/* eslint-disable @typescript-eslint/no-explicit-any -- the JSDoc says any where the API answer is untyped JSON */
/**
 * The CliError for an error answer `{ error, code }` (DESIGN.md §5), with the server's own
 * message, or a message made from the status when the body is not the API's error shape.
 * @param {Response} response
 * @param {string} url
 * @returns {Promise<CliError>}
 */
export function errorFromResponse(response: Response, url: string): Promise<CliError>;
/**
 * @param {string} url
 * @param {unknown} error what fetch threw
 * @returns {CliError}
 */
export function unreachable(url: string, error: unknown): CliError;
/** Talks to the REST API of DESIGN.md §5; turns every failure into a CliError. */
export class ApiClient {
    /**
     * @param {{ url: string, token: string | null, fetch?: typeof fetch }} options
     */
    constructor({ url, token, fetch: fetchImpl }: {
        url: string;
        token: string | null;
        fetch?: typeof fetch;
    });
    url: string;
    token: string | null;
    fetch: typeof fetch;
    /**
     * Sends a request and returns the raw response, whatever its status. Network failures
     * become a CliError that says the server is unreachable.
     * @param {string} method
     * @param {string} path starting with /api/
     * @param {RequestOptions} [options]
     * @returns {Promise<Response>}
     */
    send(method: string, path: string, options?: RequestOptions): Promise<Response>;
    /**
     * Sends a request and returns its parsed JSON body; a non-2xx answer throws.
     * @param {string} method
     * @param {string} path
     * @param {RequestOptions} [options]
     * @returns {Promise<any>}
     */
    json(method: string, path: string, options?: RequestOptions): Promise<any>;
    /** @returns {Promise<FunctionSummary[]>} */
    listFunctions(): Promise<FunctionSummary[]>;
    /**
     * Finds one of the owner's functions by name (or by id).
     * @param {string} ref
     * @returns {Promise<FunctionSummary>}
     */
    resolveFunction(ref: string): Promise<FunctionSummary>;
    /**
     * Every deployment of a function, newest first, following nextCursor.
     * @param {string} functionId
     * @param {number} [max] stop after this many
     * @returns {Promise<Deployment[]>}
     */
    allDeployments(functionId: string, max?: number): Promise<Deployment[]>;
}
export type FunctionSummary = {
    id: string;
    name: string;
    runtime: string;
    status: string;
    activeVersion: number | null;
    activeDeploymentId: string | null;
};
export type Deployment = {
    id: string;
    version: number;
    status: string;
    isActive: boolean;
    error?: string | null | undefined;
    buildLog?: string | undefined;
    deployedAt?: string | undefined;
    deployedBy?: string | null | undefined;
    buildDurationMs?: number | null | undefined;
    archiveSize?: number | null | undefined;
};
export type RequestOptions = {
    query?: Record<string, string | number | null | undefined> | undefined;
    /**
     * sent as a JSON body
     */
    json?: unknown;
    /**
     * a raw body (string, bytes, or an async iterable with `duplex`)
     */
    body?: any;
    headers?: Record<string, string> | undefined;
    /**
     * send the token (default true)
     */
    auth?: boolean | undefined;
    duplex?: "half" | undefined;
};
import { CliError } from "./errors.mjs";
