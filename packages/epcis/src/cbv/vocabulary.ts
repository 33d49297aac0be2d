/**
 * CBV 2.0 standard vocabularies (GS1 Core Business Vocabulary, Release 2.0, Ratified Jun 2022),
 * as enumerated in the GS1 EPCIS 2.0 JSON schema (ref.gs1.org/standards/epcis/2.0.1/
 * epcis-json-schema.json: `bizStep`, `disposition`, `bizTransaction-type`, `source-dest-type`,
 * `error-reason`, `measurementType`, `sensorAlertType`, `component`).
 *
 * Every CBV value has three spellings, all equivalent:
 * - the bare name used in EPCIS 2.0 JSON/JSON-LD (`shipping`), which the EPCIS JSON-LD context maps
 *   onto the web URI;
 * - the web URI of CBV 2.0: `https://ref.gs1.org/cbv/BizStep-shipping` (compact: `cbv:BizStep-shipping`);
 * - the URN of EPCIS/CBV 1.x, still valid in 2.0: `urn:epcglobal:cbv:bizstep:shipping`.
 * Sensor measurement types, sensor alert types live in the GS1 Web Vocabulary
 * (`https://gs1.org/voc/Temperature`, compact `gs1:Temperature`).
 */

/** CBV 2.0 business steps (BizStep). */
export const CBV_BIZ_STEPS = [
  "accepting",
  "arriving",
  "assembling",
  "collecting",
  "commissioning",
  "consigning",
  "creating_class_instance",
  "cycle_counting",
  "decommissioning",
  "departing",
  "destroying",
  "disassembling",
  "dispensing",
  "encoding",
  "entering_exiting",
  "holding",
  "inspecting",
  "installing",
  "killing",
  "loading",
  "other",
  "packing",
  "picking",
  "receiving",
  "removing",
  "repackaging",
  "repairing",
  "replacing",
  "reserving",
  "retail_selling",
  "shipping",
  "staging_outbound",
  "stock_taking",
  "stocking",
  "storing",
  "transporting",
  "unloading",
  "unpacking",
  "void_shipping",
  "sensor_reporting",
  "sampling",
] as const;

/** CBV 2.0 dispositions (Disp). */
export const CBV_DISPOSITIONS = [
  "active",
  "container_closed",
  "damaged",
  "destroyed",
  "dispensed",
  "disposed",
  "encoded",
  "expired",
  "in_progress",
  "in_transit",
  "inactive",
  "no_pedigree_match",
  "non_sellable_other",
  "partially_dispensed",
  "recalled",
  "reserved",
  "retail_sold",
  "returned",
  "sellable_accessible",
  "sellable_not_accessible",
  "stolen",
  "unknown",
  "available",
  "completeness_verified",
  "completeness_inferred",
  "conformant",
  "container_open",
  "mismatch_instance",
  "mismatch_class",
  "mismatch_quantity",
  "needs_replacement",
  "non_conformant",
  "unavailable",
] as const;

/** CBV 2.0 business transaction types (BTT). */
export const CBV_BIZ_TRANSACTION_TYPES = [
  "bol",
  "cert",
  "desadv",
  "inv",
  "pedigree",
  "po",
  "poc",
  "prodorder",
  "recadv",
  "rma",
  "testprd",
  "testres",
  "upevt",
] as const;

/** CBV 2.0 source/destination types (SDT). */
export const CBV_SOURCE_DESTINATION_TYPES = ["owning_party", "possessing_party", "location"] as const;

/** CBV 2.0 error reasons (ER). */
export const CBV_ERROR_REASONS = ["did_not_occur", "incorrect_data"] as const;

/**
 * Sensor measurement types (GS1 Web Vocabulary `gs1:MeasurementType`, referenced by EPCIS 2.0 sensor
 * reports and CBV 2.0), the list of the EPCIS 2.0.1 JSON schema `measurementType` and of the EPCIS JSON-LD
 * context `gs1-context-measurement-type.jsonld` (`Temperature` → `gs1:Temperature`).
 */
export const CBV_MEASUREMENT_TYPES = [
  "AbsoluteHumidity",
  "AbsorbedDose",
  "AbsorbedDoseRate",
  "Acceleration",
  "Radioactivity",
  "Altitude",
  "AmountOfSubstance",
  "AmountOfSubstancePerUnitVolume",
  "Angle",
  "AngularAcceleration",
  "AngularMomentum",
  "AngularVelocity",
  "Area",
  "Capacitance",
  "Conductance",
  "Conductivity",
  "Count",
  "Density",
  "Dimensionless",
  "DoseEquivalent",
  "DoseEquivalentRate",
  "DynamicViscosity",
  "ElectricCharge",
  "ElectricCurrent",
  "ElectricCurrentDensity",
  "ElectricFieldStrength",
  "Energy",
  "Exposure",
  "Force",
  "Frequency",
  "Illuminance",
  "Inductance",
  "Irradiance",
  "KinematicViscosity",
  "Length",
  "LinearMomentum",
  "Luminance",
  "LuminousFlux",
  "LuminousIntensity",
  "MagneticFlux",
  "MagneticFluxDensity",
  "MagneticVectorPotential",
  "Mass",
  "MassConcentration",
  "MassFlowRate",
  "MassPerAreaTime",
  "MemoryCapacity",
  "MolalityOfSolute",
  "MolarEnergy",
  "MolarMass",
  "MolarVolume",
  "Power",
  "Pressure",
  "RadiantFlux",
  "RadiantIntensity",
  "RelativeHumidity",
  "Resistance",
  "Resistivity",
  "SolidAngle",
  "SpecificVolume",
  "Speed",
  "SurfaceDensity",
  "SurfaceTension",
  "Temperature",
  "Time",
  "Torque",
  "Voltage",
  "Volume",
  "VolumeFlowRate",
  "VolumeFraction",
  "VolumetricFlux",
  "Wavenumber",
] as const;

/** Sensor alert types (EPCIS 2.0 sensor report `exception`; `gs1:ALARM_CONDITION`, `gs1:ERROR_CONDITION`). */
export const CBV_SENSOR_ALERT_TYPES = ["ALARM_CONDITION", "ERROR_CONDITION"] as const;

/** Sensor report components (CBV 2.0, `cbv:Comp-x`; EPCIS JSON-LD context `cbv-context-component.jsonld`). */
export const CBV_COMPONENTS = [
  "x",
  "y",
  "z",
  "axial_distance",
  "azimuth",
  "height",
  "spherical_radius",
  "polar_angle",
  "elevation_angle",
  "easting",
  "northing",
  "latitude",
  "longitude",
  "altitude",
] as const;

export type CbvBizStep = (typeof CBV_BIZ_STEPS)[number];
export type CbvDisposition = (typeof CBV_DISPOSITIONS)[number];
export type CbvBizTransactionType = (typeof CBV_BIZ_TRANSACTION_TYPES)[number];
export type CbvSourceDestinationType = (typeof CBV_SOURCE_DESTINATION_TYPES)[number];
export type CbvErrorReason = (typeof CBV_ERROR_REASONS)[number];
export type CbvMeasurementType = (typeof CBV_MEASUREMENT_TYPES)[number];

/** The CBV web namespace (CBV 2.0) and the GS1 Web Vocabulary namespace. */
export const CBV_NAMESPACE = "https://ref.gs1.org/cbv/";
export const GS1_VOC_NAMESPACE = "https://gs1.org/voc/";

/**
 * Namespaces GS1 controls for CBV and its Web Vocabulary (with the pre-ratification `ns.gs1.org` and
 * `http:` spellings): a value there is either a standard one or wrong; a private vocabulary needs a
 * namespace of its own (CBV 2.0 user vocabularies).
 */
export const GS1_RESERVED_NAMESPACES = [
  "urn:epcglobal:cbv:",
  CBV_NAMESPACE,
  "http://ref.gs1.org/cbv/",
  "https://ns.gs1.org/cbv/",
  "http://ns.gs1.org/cbv/",
  GS1_VOC_NAMESPACE,
  "http://gs1.org/voc/",
  "https://www.gs1.org/voc/",
  "http://www.gs1.org/voc/",
] as const;

/** How one vocabulary is spelled in each namespace. */
export interface Vocabulary {
  /** Name used in messages ("business step"). */
  readonly label: string;
  /** Bare names. */
  readonly values: ReadonlySet<string>;
  /** `urn:epcglobal:cbv:bizstep:` (absent for GS1 Web Vocabulary lists). */
  readonly urnPrefix?: string;
  /** `https://ref.gs1.org/cbv/BizStep-` or `https://gs1.org/voc/`. */
  readonly webPrefixes: readonly string[];
}

const vocab = (
  label: string,
  values: readonly string[],
  webPrefixes: readonly string[],
  urnPrefix?: string,
): Vocabulary => ({
  label,
  values: new Set(values),
  webPrefixes,
  ...(urnPrefix === undefined ? {} : { urnPrefix }),
});

export const VOCABULARIES = {
  bizStep: vocab(
    "CBV 2.0 business step",
    CBV_BIZ_STEPS,
    [`${CBV_NAMESPACE}BizStep-`],
    "urn:epcglobal:cbv:bizstep:",
  ),
  disposition: vocab(
    "CBV 2.0 disposition",
    CBV_DISPOSITIONS,
    [`${CBV_NAMESPACE}Disp-`],
    "urn:epcglobal:cbv:disp:",
  ),
  bizTransactionType: vocab(
    "CBV 2.0 business transaction type",
    CBV_BIZ_TRANSACTION_TYPES,
    [`${CBV_NAMESPACE}BTT-`],
    "urn:epcglobal:cbv:btt:",
  ),
  sourceDestinationType: vocab(
    "CBV 2.0 source/destination type",
    CBV_SOURCE_DESTINATION_TYPES,
    [`${CBV_NAMESPACE}SDT-`],
    "urn:epcglobal:cbv:sdt:",
  ),
  errorReason: vocab(
    "CBV 2.0 error reason",
    CBV_ERROR_REASONS,
    [`${CBV_NAMESPACE}ER-`],
    "urn:epcglobal:cbv:er:",
  ),
  measurementType: vocab("CBV 2.0 measurement type", CBV_MEASUREMENT_TYPES, [GS1_VOC_NAMESPACE]),
  sensorAlertType: vocab("CBV 2.0 sensor alert type", CBV_SENSOR_ALERT_TYPES, [GS1_VOC_NAMESPACE]),
  component: vocab("CBV 2.0 component", CBV_COMPONENTS, [`${CBV_NAMESPACE}Comp-`], "urn:epcglobal:cbv:comp:"),
} as const satisfies Record<string, Vocabulary>;

export type VocabularyName = keyof typeof VOCABULARIES;
