export function Inbound() {
  return <p>Inbound</p>;
}
