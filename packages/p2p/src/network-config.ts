/**
 * The network's peer book (`network.json`), shared by every organisation like genesis.json:
 * which organisations exist, the CA certificate each one issues node certificates from, and
 * where each node listens for peers. Only nodes listed here may connect.
 */
export interface NetworkNode {
  /** Unique node id; equals the CN of the node's TLS certificate, e.g. "org1-node". */
  id: string;
  /** Host or IP other nodes dial. */
  host: string;
  /** Peer-to-peer (TLS) port. */
  port: number;
  /** The node's validator address in genesis, when it is a validator. */
  validator?: string;
}

export interface NetworkOrg {
  /** Organisation name, e.g. "org1"; the O of its CA and node certificates. */
  name: string;
  /** PEM of the organisation's CA certificate: the only issuer accepted for its nodes. */
  caCert: string;
  nodes: NetworkNode[];
}

export interface NetworkConfig {
  type: "weft-network/v1";
  chainId: string;
  orgs: NetworkOrg[];
}
