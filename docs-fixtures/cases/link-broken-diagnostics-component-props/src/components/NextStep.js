import Link from '@docusaurus/Link';

export default function NextStep({ to, label }) {
  return (
    <p>
      Next: <Link to={to}>{label}</Link>
    </p>
  );
}
