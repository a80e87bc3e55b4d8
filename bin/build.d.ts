// Types of ./build.js for the TypeScript that imports it (the bench).
export declare const root: string;
export declare function buildIsCurrent(): boolean;
export declare function importBuilt(rel: string): Promise<{ module: Record<string, unknown>; from: 'dist' | 'src' }>;
