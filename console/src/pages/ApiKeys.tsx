export function ApiKeys() {
  return <p>ApiKeys</p>;
}
