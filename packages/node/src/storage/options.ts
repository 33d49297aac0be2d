export interface StorageOptions {
  /** Folder holding the LMDB environment. */
  dataDir: string;
  /** Upper bound on the memory map; LMDB grows the file up to this size. */
  mapSizeBytes: number;
}

export const defaultStorageOptions: Omit<StorageOptions, "dataDir"> = {
  mapSizeBytes: 64 * 1024 ** 3,
};
