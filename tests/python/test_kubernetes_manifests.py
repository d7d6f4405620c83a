"""deploy/kubernetes/ as Kubernetes would read it: the manifests parse as
YAML with the fields an Indexed Job of shards and its merge step need, the
password comes only from the Secret, and the config is valid TOML. (No
cluster is reachable here; kubernetes_local_test.sh runs the pods' scripts
on one machine.)"""
import os
import tomllib

import yaml

DEPLOY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "deploy",
                      "kubernetes")


def manifest(name):
    with open(os.path.join(DEPLOY, name)) as f:
        return yaml.safe_load(f)


def container(job):
    (only,) = job["spec"]["template"]["spec"]["containers"]
    return only


def env_of(c):
    return {e["name"]: e for e in c.get("env", [])}


def test_the_shards_are_an_indexed_job_of_one_pod_per_shard():
    job = manifest("shards-job.yaml")
    assert job["apiVersion"] == "batch/v1" and job["kind"] == "Job"
    spec = job["spec"]
    assert spec["completionMode"] == "Indexed"
    env = env_of(container(job))
    shards = int(env["SHARDS"]["value"])
    assert spec["completions"] == spec["parallelism"] == shards
    assert spec["template"]["spec"]["restartPolicy"] == "Never"
    assert container(job)["command"][0] == "run-shard.sh"


def test_every_pod_of_the_job_shares_one_run_id_the_jobs_uid():
    # The shards of a load meet in the database under the run id, and the
    # merge refuses shards of different runs: it must be the same in every
    # pod of this Job and differ from the next Job's.
    ref = env_of(container(manifest("shards-job.yaml")))["RUN_ID"]["valueFrom"]["fieldRef"]
    assert ref["fieldPath"] == "metadata.labels['batch.kubernetes.io/controller-uid']"


def test_the_password_comes_from_the_secret_and_nowhere_else():
    secret = manifest("secret.yaml")
    assert secret["kind"] == "Secret" and "password" in secret["stringData"]
    job = manifest("shards-job.yaml")
    c = container(job)
    ref = env_of(c)["TIDB_PASSWORD"]["valueFrom"]["secretKeyRef"]
    assert ref == {"name": secret["metadata"]["name"], "key": "password"}
    assert not any("password" in word for word in c["command"] + c.get("args", []))
    config = tomllib.loads(manifest("config.yaml")["data"]["config.toml"])
    assert "password" not in config["database"]


def test_every_pod_mounts_the_config_and_the_shared_reports():
    config_map = manifest("config.yaml")
    claim = manifest("reports-pvc.yaml")
    assert claim["spec"]["accessModes"] == ["ReadWriteMany"]
    for name in ["shards-job.yaml", "merge-job.yaml"]:
        job = manifest(name)
        volumes = {v["name"]: v for v in job["spec"]["template"]["spec"]["volumes"]}
        mounts = {m["mountPath"]: m["name"] for m in container(job)["volumeMounts"]}
        reports = env_of(container(job))["REPORTS"]["value"]
        assert volumes[mounts[reports]]["persistentVolumeClaim"]["claimName"] == \
            claim["metadata"]["name"], name
    shards = manifest("shards-job.yaml")
    volumes = {v["name"]: v for v in shards["spec"]["template"]["spec"]["volumes"]}
    mounts = {m["mountPath"]: m["name"] for m in container(shards)["volumeMounts"]}
    assert volumes[mounts["/etc/test-rig"]]["configMap"]["name"] == config_map["metadata"]["name"]


def test_the_merge_waits_for_as_many_shards_as_the_job_runs():
    merge = manifest("merge-job.yaml")
    assert container(merge)["command"] == ["merge-shards.sh"]
    assert env_of(container(merge))["SHARDS"]["value"] == \
        env_of(container(manifest("shards-job.yaml")))["SHARDS"]["value"]


def test_the_image_installs_the_scripts_the_pods_run():
    with open(os.path.join(DEPLOY, "Dockerfile")) as f:
        dockerfile = f.read()
    assert "scripts/install-deps.sh" in dockerfile and "scripts/build.sh" in dockerfile
    for script in ["run-shard.sh", "merge-shards.sh"]:
        assert f"deploy/kubernetes/{script}" in dockerfile
