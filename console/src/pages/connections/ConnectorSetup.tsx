export function ConnectorSetup() {
  return <p>ConnectorSetup</p>;
}
