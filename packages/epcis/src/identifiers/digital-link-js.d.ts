// Types for the parts of digital-link.js (CommonJS, no bundled types) that dl-library.ts uses.

declare module "digital-link.js" {
  interface ValidationTrace {
    trace: { rule: string; match: string; remainder: string }[];
    success: boolean;
  }
  interface DigitalLinkInstance {
    getValidationTrace(): ValidationTrace;
    toWebUriString(): string;
  }
  interface DigitalLinkPackage {
    DigitalLink(input: string): DigitalLinkInstance;
    Utils: {
      isCompressedWebUri(uri: string): boolean;
      decompressWebUri(uri: string): string;
      compressWebUri(uri: string, useOptimisations?: boolean, compressOtherKeyValuePairs?: boolean): string;
      testRule(rule: string, value: string): boolean;
    };
  }
  const pkg: DigitalLinkPackage;
  export = pkg;
}

declare module "digital-link.js/src/util.js" {
  const util: { validateUrl(uri: string): boolean };
  export = util;
}
