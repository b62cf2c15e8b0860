export default {"registry": "quay.io/acme"};
