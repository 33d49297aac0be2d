/**
 * EPCIS 2.0 capture documents for escrow tests: a shipment (SSCC) shipped from the seller's
 * location and received at the buyer's, with documents, dispositions and sensor alarms.
 */
export const SELLER_GLN = "urn:epc:id:sgln:9520001.00001.0";
export const BUYER_GLN = "urn:epc:id:sgln:9520002.00001.0";
export const sscc = (n: number) => `urn:epc:id:sscc:9520001.${String(n).padStart(10, "0")}`;
export const po = (n: number) => `urn:epcglobal:cbv:bt:9520002000015:PO-${n}`;

export interface DocOptions {
  epc: string;
  bizStep: "shipping" | "receiving" | "inspecting" | "departing" | "arriving";
  location: string;
  /** Unique per event (EPCIS event hashes must differ). */
  time: string;
  disposition?: string;
  bizTransactions?: { type: string; id: string }[];
  alarm?: boolean;
}

export function eventDoc(o: DocOptions): string {
  const event: Record<string, unknown> = {
    type: "ObjectEvent",
    eventTime: o.time,
    eventTimeZoneOffset: "+00:00",
    epcList: [o.epc],
    action: "OBSERVE",
    bizStep: o.bizStep,
    readPoint: { id: o.location },
    bizLocation: { id: o.location },
  };
  if (o.disposition) event.disposition = o.disposition;
  if (o.bizTransactions) {
    event.bizTransactionList = o.bizTransactions.map((b) => ({ type: b.type, bizTransaction: b.id }));
  }
  if (o.alarm) {
    event.sensorElementList = [
      {
        sensorMetadata: { time: o.time },
        sensorReport: [{ type: "gs1:Temperature", value: 12.5, uom: "CEL", exception: "ALARM_CONDITION" }],
      },
    ];
  }
  return JSON.stringify({
    "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],
    type: "EPCISDocument",
    schemaVersion: "2.0",
    creationDate: o.time,
    epcisBody: { eventList: [event] },
  });
}
