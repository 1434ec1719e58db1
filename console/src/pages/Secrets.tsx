export function Secrets() {
  return <p>Secrets</p>;
}
