// Renders the Felix settings table from config-params.json (stand-in: docdrift never runs it).
import React from 'react';
import params from './config-params.json';

export default function FelixConfig() {
  return (
    <>
      {params.Groups.map((group) => (
        <section key={group.Name}>
          <h3>{group.Name}</h3>
          <ul>
            {group.Fields.map((f) => (
              <li key={f.NameConfigFile}>
                <code>{f.NameYAML}</code>: {f.Description}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}
