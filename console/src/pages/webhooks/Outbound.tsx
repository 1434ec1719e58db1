export function Outbound() {
  return <p>Outbound</p>;
}
