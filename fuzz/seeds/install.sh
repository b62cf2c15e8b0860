kubectl apply -f https://x/y.yaml && helm install calico projectcalico/tigera-operator --version v3.29 \
  --namespace tigera-operator
cat <<EOF | kubectl apply -f -
kind: X
EOF
echo "$(date)" | grep -v x; for i in 1 2; do echo $i; done
