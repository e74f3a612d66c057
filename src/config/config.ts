/** The validated, frozen configuration the rest of the program reads. */
export interface Config {
  readonly env: 'production' | 'development' | 'test';
  readonly server: {
    readonly port: number;
    readonly host: string;
    readonly bodyLimit: string;
    readonly corsOrigins: readonly string[];
    readonly rateLimitPerMinute: number;
    readonly readOnly: boolean;
    readonly shutdownTimeoutMs: number;
  };
  readonly database: {
    readonly url: string;
    readonly ssl: 'auto' | 'true' | 'false' | 'no-verify';
    readonly poolMax: number;
    readonly sqlitePath: string;
    readonly persistentDiskPath: string;
    readonly requirePersistentStorage: boolean;
    readonly sqliteSynchronous: 'FULL' | 'NORMAL' | 'EXTRA' | 'OFF';
    readonly migrateOnStart: boolean;
  };
  readonly auth: { readonly apiKeys: readonly string[]; readonly disabled: boolean };
  readonly log: {
    readonly level: string;
    readonly format: '' | 'json' | 'pretty';
    readonly lang: 'fr' | 'en';
  };
  readonly platform: { readonly render: boolean };
}
