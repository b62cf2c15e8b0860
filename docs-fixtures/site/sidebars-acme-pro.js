// Sidebar of the current (next) version.
module.exports = {
  "docsSidebar": [
    "index",
    "install",
    {
      "type": "category",
      "label": "Reference",
      "items": [
        "reference/felix-config"
      ]
    },
    "upgrade",
    "network-policy",
    "release-notes",
    "troubleshooting"
  ]
};
