/**
 * Bare-string CBV values of EPCIS 2.0 JSON-LD (`"bizStep": "shipping"`) and the web URIs the
 * standard EPCIS 2.0.0 JSON-LD context maps them to (`https://ref.gs1.org/cbv/BizStep-shipping`).
 * CBV 2.0 event hash rule: "all standard vocabulary elements expressed in bare string notation SHALL
 * be expanded to their corresponding GS1 Web URI". Only the terms the context defines expand; any
 * other bare string stays as written, as in JSON-LD.
 */

const CBV = "https://ref.gs1.org/cbv/";
const GS1_VOC = "https://gs1.org/voc/";

export interface BareVocabulary {
  readonly iriPrefix: string;
  readonly terms: ReadonlySet<string>;
}

const vocabulary = (iriPrefix: string, terms: readonly string[]): BareVocabulary => ({
  iriPrefix,
  terms: new Set(terms),
});

const DISPOSITIONS = [
  "active",
  "available",
  "completeness_inferred",
  "completeness_verified",
  "conformant",
  "container_closed",
  "container_open",
  "damaged",
  "destroyed",
  "dispensed",
  "disposed",
  "encoded",
  "expired",
  "in_progress",
  "in_transit",
  "inactive",
  "mismatch_class",
  "mismatch_instance",
  "mismatch_quantity",
  "needs_replacement",
  "no_pedigree_match",
  "non_conformant",
  "non_sellable_other",
  "partially_dispensed",
  "recalled",
  "reserved",
  "retail_sold",
  "returned",
  "sellable_accessible",
  "sellable_not_accessible",
  "stolen",
  "unavailable",
  "unknown",
];

const SOURCE_DESTINATION_TYPES = ["location", "owning_party", "possessing_party"];

export const BARE_VOCABULARIES = {
  bizStep: vocabulary(`${CBV}BizStep-`, [
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
    "sampling",
    "sensor_reporting",
    "shipping",
    "staging_outbound",
    "stock_taking",
    "stocking",
    "storing",
    "transporting",
    "unloading",
    "unpacking",
    "void_shipping",
  ]),
  disposition: vocabulary(`${CBV}Disp-`, DISPOSITIONS),
  bizTransactionType: vocabulary(`${CBV}BTT-`, [
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
  ]),
  sourceDestinationType: vocabulary(`${CBV}SDT-`, SOURCE_DESTINATION_TYPES),
  errorReason: vocabulary(`${CBV}ER-`, ["did_not_occur", "incorrect_data"]),
  component: vocabulary(`${CBV}Comp-`, [
    "altitude",
    "axial_distance",
    "azimuth",
    "easting",
    "elevation_angle",
    "height",
    "latitude",
    "longitude",
    "northing",
    "polar_angle",
    "spherical_radius",
    "x",
    "y",
    "z",
  ]),
  sensorException: vocabulary(GS1_VOC, ["ALARM_CONDITION", "ERROR_CONDITION"]),
  measurementType: vocabulary(GS1_VOC, [
    "AbsoluteHumidity",
    "AbsorbedDose",
    "AbsorbedDoseRate",
    "Acceleration",
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
    "Radioactivity",
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
  ]),
} as const;

/** The web URI of a bare CBV term, or `undefined` when `value` is not a term of `vocabulary`. */
export function expandBareTerm(value: string, vocabulary: BareVocabulary): string | undefined {
  return vocabulary.terms.has(value) ? vocabulary.iriPrefix + value : undefined;
}

/**
 * CBV 1.x URNs of standard vocabularies → CBV 2.0 web URIs (event hash rule: "any URN-based standard
 * vocabulary value SHALL be expressed in its corresponding CBV Web URI term"). Replaced wherever they
 * occur in a value, as the reference implementation does.
 */
const LEGACY_URN_PREFIXES: readonly (readonly [string, string])[] = [
  ["urn:epcglobal:cbv:bizstep:", `${CBV}BizStep-`],
  ["urn:epcglobal:cbv:disp:", `${CBV}Disp-`],
  ["urn:epcglobal:cbv:btt:", `${CBV}BTT-`],
  ["urn:epcglobal:cbv:sdt:", `${CBV}SDT-`],
  ["urn:epcglobal:cbv:er:", `${CBV}ER-`],
];

export function replaceLegacyCbvUrns(value: string): string {
  let out = value;
  for (const [urn, web] of LEGACY_URN_PREFIXES) out = out.split(urn).join(web);
  return out;
}
