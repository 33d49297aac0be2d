import type { AiElement } from "./ai.js";

export type { AiElement } from "./ai.js";

/** EPC URN schemes handled here (TDS 2.0 §6.3; `gtin` is `urn:epc:idpat:sgtin:…*`, a GTIN class). */
export type EpcScheme =
  | "sgtin"
  | "lgtin"
  | "gtin"
  | "sscc"
  | "sgln"
  | "pgln"
  | "giai"
  | "grai"
  | "gsrn"
  | "gsrnp"
  | "gdti"
  | "sgcn"
  | "ginc"
  | "gsin"
  | "itip"
  | "upui"
  | "cpi";

interface EpcBase {
  /** The EPC URN in canonical spelling (lower-case prefix, minimal escaping, upper-case hex). */
  readonly uri: string;
  /** `instance`: one object (`urn:epc:id`); `class`: a product/lot/type (`urn:epc:class`, `urn:epc:idpat`). */
  readonly level: "instance" | "class";
  /** GS1 Company Prefix as written in the URN (its length is the URN's own statement of it). */
  readonly companyPrefix: string;
  /** The GS1 element strings this URN stands for, primary key first (decoded values). */
  readonly elements: readonly AiElement[];
}

/** `urn:epc:id:sgtin:CompanyPrefix.IndicatorItemRef.Serial` — AI (01) + (21). */
export interface SgtinIdentifier extends EpcBase {
  readonly scheme: "sgtin";
  readonly gtin: string;
  /** Indicator digit followed by the item reference, as in the URN. */
  readonly itemReference: string;
  readonly serial: string;
}
/** `urn:epc:class:lgtin:CompanyPrefix.IndicatorItemRef.Lot` — AI (01) + (10). */
export interface LgtinIdentifier extends EpcBase {
  readonly scheme: "lgtin";
  readonly gtin: string;
  readonly itemReference: string;
  readonly lot: string;
}
/** `urn:epc:idpat:sgtin:CompanyPrefix.IndicatorItemRef.*` — AI (01) alone, a product class. */
export interface GtinIdentifier extends EpcBase {
  readonly scheme: "gtin";
  readonly gtin: string;
  readonly itemReference: string;
}
/** `urn:epc:id:sscc:CompanyPrefix.ExtensionSerialRef` — AI (00). */
export interface SsccIdentifier extends EpcBase {
  readonly scheme: "sscc";
  readonly sscc: string;
  /** Extension digit followed by the serial reference, as in the URN. */
  readonly serialReference: string;
}
/** `urn:epc:id:sgln:CompanyPrefix.LocationRef.Extension` — AI (414) [+ (254)]; extension "0" = none. */
export interface SglnIdentifier extends EpcBase {
  readonly scheme: "sgln";
  readonly gln: string;
  readonly locationReference: string;
  /** AI (254) value; absent when the URN's extension is "0" (the GLN itself). */
  readonly extension?: string;
}
/** `urn:epc:id:pgln:CompanyPrefix.PartyRef` — AI (417), a party. */
export interface PglnIdentifier extends EpcBase {
  readonly scheme: "pgln";
  readonly gln: string;
  readonly partyReference: string;
}
/** `urn:epc:id:giai:CompanyPrefix.AssetRef` — AI (8004). */
export interface GiaiIdentifier extends EpcBase {
  readonly scheme: "giai";
  readonly giai: string;
  readonly assetReference: string;
}
/** `urn:epc:id:grai:CompanyPrefix.AssetType.Serial` — AI (8003); class `urn:epc:idpat:grai:…*`. */
export interface GraiIdentifier extends EpcBase {
  readonly scheme: "grai";
  /** The whole AI (8003) value: "0", company prefix, asset type, check digit, serial. */
  readonly grai: string;
  readonly assetType: string;
  readonly serial?: string;
}
/** `urn:epc:id:gsrn:…` (AI 8018, recipient) / `urn:epc:id:gsrnp:…` (AI 8017, provider). */
export interface GsrnIdentifier extends EpcBase {
  readonly scheme: "gsrn" | "gsrnp";
  readonly gsrn: string;
  readonly serviceReference: string;
}
/** `urn:epc:id:gdti:CompanyPrefix.DocumentType.Serial` — AI (253); class `urn:epc:idpat:gdti:…*`. */
export interface GdtiIdentifier extends EpcBase {
  readonly scheme: "gdti";
  readonly gdti: string;
  readonly documentType: string;
  readonly serial?: string;
}
/** `urn:epc:id:sgcn:CompanyPrefix.CouponRef.Serial` — AI (255); class `urn:epc:idpat:sgcn:…*`. */
export interface SgcnIdentifier extends EpcBase {
  readonly scheme: "sgcn";
  readonly gcn: string;
  readonly couponReference: string;
  readonly serial?: string;
}
/** `urn:epc:id:ginc:CompanyPrefix.ConsignmentRef` — AI (401). */
export interface GincIdentifier extends EpcBase {
  readonly scheme: "ginc";
  readonly ginc: string;
  readonly consignmentReference: string;
}
/** `urn:epc:id:gsin:CompanyPrefix.ShipperRef` — AI (402). */
export interface GsinIdentifier extends EpcBase {
  readonly scheme: "gsin";
  readonly gsin: string;
  readonly shipperReference: string;
}
/** `urn:epc:id:itip:CompanyPrefix.IndicatorItemRef.Piece.Total.Serial` — AI (8006) + (21). */
export interface ItipIdentifier extends EpcBase {
  readonly scheme: "itip";
  /** The whole AI (8006) value: GTIN-14, piece, total. */
  readonly itip: string;
  readonly gtin: string;
  readonly itemReference: string;
  readonly piece: string;
  readonly total: string;
  readonly serial?: string;
}
/** `urn:epc:id:upui:CompanyPrefix.IndicatorItemRef.TPX` — AI (01) + (235). */
export interface UpuiIdentifier extends EpcBase {
  readonly scheme: "upui";
  readonly gtin: string;
  readonly itemReference: string;
  readonly tpx: string;
}
/** `urn:epc:id:cpi:CompanyPrefix.ComponentPartRef.Serial` — AI (8010) + (8011). */
export interface CpiIdentifier extends EpcBase {
  readonly scheme: "cpi";
  readonly cpid: string;
  readonly componentPartReference: string;
  readonly serial?: string;
}

export type EpcIdentifier =
  | SgtinIdentifier
  | LgtinIdentifier
  | GtinIdentifier
  | SsccIdentifier
  | SglnIdentifier
  | PglnIdentifier
  | GiaiIdentifier
  | GraiIdentifier
  | GsrnIdentifier
  | GdtiIdentifier
  | SgcnIdentifier
  | GincIdentifier
  | GsinIdentifier
  | ItipIdentifier
  | UpuiIdentifier
  | CpiIdentifier;

/** A parsed GS1 Digital Link URI (values decoded; GTINs normalised to 14 digits). */
export interface DigitalLink {
  /** Scheme, host and any path before the primary key, e.g. `https://example.com/products`. */
  readonly base: string;
  /** Lower-case host (with port when one was given). */
  readonly host: string;
  /** True for the GS1 resolver `id.gs1.org`. Other hosts are legal; the identity is the same. */
  readonly gs1Host: boolean;
  /** True when the input was a compressed Digital Link (decompressed by digital-link.js). */
  readonly compressed: boolean;
  readonly primaryKey: AiElement;
  /** Key qualifiers in path order (e.g. 22, 10, 21 for a GTIN). */
  readonly qualifiers: readonly AiElement[];
  /** GS1 data attributes from the query string (numeric keys), in input order. */
  readonly attributes: readonly AiElement[];
  /** `linkType` query parameter, if any (not part of the identity). */
  readonly linkType?: string;
  /** Other (non-GS1) query parameters, decoded (not part of the identity). */
  readonly extensions: readonly { readonly key: string; readonly value: string }[];
}
