import { type Static, Type } from "@sinclair/typebox";

// One schema serves validation, static types and the OpenAPI description of the API.
export const HexString = (bytes?: number) =>
  Type.String(
    bytes === undefined
      ? { pattern: "^(?:[0-9a-f]{2})*$" }
      : { pattern: `^[0-9a-f]{${bytes * 2}}$`, minLength: bytes * 2, maxLength: bytes * 2 },
  );

export const ChainIdSchema = Type.String({ pattern: "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$" });
export const IdentifierSchema = Type.String({ pattern: "^[a-z][A-Za-z0-9_]{0,63}$" });
export const AddressSchema = Type.String({
  pattern: "^[0-9a-f]{40}$",
  description: "20-byte account address, hex",
});

export const PublicKeyInfoSchema = Type.Object(
  {
    alg: Type.Union([Type.Literal("ed25519"), Type.Literal("p256")]),
    publicKey: Type.String({ pattern: "^(?:[0-9a-f]{64}|0[23][0-9a-f]{64})$" }),
  },
  { additionalProperties: false },
);

export const TxBodySchema = Type.Object(
  {
    chainId: ChainIdSchema,
    signer: PublicKeyInfoSchema,
    sequence: Type.Integer({
      minimum: 0,
      maximum: Number.MAX_SAFE_INTEGER,
      description: "per-signer replay counter",
    }),
    expiresAt: Type.Integer({
      minimum: 1,
      maximum: Number.MAX_SAFE_INTEGER,
      description: "last height it may be included at",
    }),
    module: IdentifierSchema,
    method: IdentifierSchema,
    args: Type.Record(Type.String(), Type.Unknown()),
    memo: Type.Optional(Type.String({ maxLength: 256 })),
  },
  { additionalProperties: false },
);

export const SignedTxSchema = Type.Object(
  { body: TxBodySchema, signature: HexString(64) },
  { additionalProperties: false, $id: "SignedTx" },
);

export type TxBodyWire = Static<typeof TxBodySchema>;
export type SignedTxWire = Static<typeof SignedTxSchema>;
